-- An officer's caseload page: the office's open cases, first page of 50 by name, with the total.
SELECT s.id, s.case_number, s.name, s.status, s.management_level, s.last_contact_at,
       se.category, se.end_date, count(*) OVER () AS total
FROM corrections_supervisee s JOIN corrections_sentence se ON se.supervisee_id = s.id
WHERE s.justice_office_id = %(office)s
  AND s.status NOT IN ('terminated', 'recommitted', 'deceased', 'transferred_out')
ORDER BY s.name, s.id
LIMIT 50
