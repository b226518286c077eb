-- An officer's caseload page: the office's open cases, first page of 50 by name, with the total.
-- MATERIALIZED: the office's few thousand rows first (office/status index), then the sort; otherwise
-- the planner walks the name index over every person in the country looking for the office's.
WITH cases AS MATERIALIZED (
    SELECT s.id, s.case_number, s.name, s.status, s.management_level, s.last_contact_at
    FROM corrections_supervisee s
    WHERE s.justice_office_id = %(office)s
      AND s.status NOT IN ('terminated', 'recommitted', 'deceased', 'transferred_out')
), page AS (
    SELECT * FROM cases ORDER BY name, id LIMIT 50
)
SELECT p.*, se.category, se.end_date, (SELECT count(*) FROM cases) AS total
FROM page p CROSS JOIN LATERAL (
    SELECT * FROM corrections_sentence x WHERE x.supervisee_id = p.id
) se
ORDER BY p.name, p.id
