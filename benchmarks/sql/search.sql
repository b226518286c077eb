-- Caseload search by name within a district (a supervisor's scope): first 50 by name.
SELECT s.id, s.case_number, s.name, s.status
FROM corrections_supervisee s JOIN accounts_agency o ON o.id = s.justice_office_id
WHERE o.district_id = %(district)s AND s.name LIKE %(pattern)s
ORDER BY s.name, s.id
LIMIT 50
