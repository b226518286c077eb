-- GET /api/v1/supervisees/ (page of 50): the office's cases by name, and the count for the paginator.
SELECT s.*, se.category, se.start_date, se.end_date,
       (SELECT count(*) FROM corrections_supervisee c WHERE c.justice_office_id = %(office)s) AS total
FROM corrections_supervisee s JOIN corrections_sentence se ON se.supervisee_id = s.id
WHERE s.justice_office_id = %(office)s
ORDER BY s.name, s.id
LIMIT 50
