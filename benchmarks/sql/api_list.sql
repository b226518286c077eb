-- GET /api/v1/supervisees/ (page of 50): the office's cases by name, and the count for the paginator.
-- MATERIALIZED for the same reason as caseload.sql.
WITH cases AS MATERIALIZED (
    SELECT s.* FROM corrections_supervisee s WHERE s.justice_office_id = %(office)s
), page AS (
    SELECT * FROM cases ORDER BY name, id LIMIT 50
)
SELECT p.*, se.category, se.start_date, se.end_date, (SELECT count(*) FROM cases) AS total
FROM page p CROSS JOIN LATERAL (
    SELECT * FROM corrections_sentence x WHERE x.supervisee_id = p.id
) se
ORDER BY p.name, p.id
