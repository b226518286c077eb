-- The district's caseload export as CSV straight from the database (COPY ... TO STDOUT).
COPY (
    SELECT s.case_number, s.name, s.gender, s.id_number, s.status, s.management_level, se.category,
           se.start_date, se.end_date, o.name AS office, s.intake_date, s.last_contact_at
    FROM corrections_supervisee s JOIN corrections_sentence se ON se.supervisee_id = s.id
    JOIN accounts_agency o ON o.id = s.justice_office_id
    WHERE o.district_id = %(district)s
    ORDER BY s.name, s.id
) TO STDOUT WITH CSV HEADER
