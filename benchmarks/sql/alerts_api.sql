-- GET /api/v1/alerts/ (page of 50): the office's alerts, newest due first, and the count.
SELECT a.*, s.name, s.case_number,
       (SELECT count(*) FROM supervision_alert x JOIN corrections_supervisee y ON y.id = x.supervisee_id
        WHERE y.justice_office_id = %(office)s) AS total
FROM supervision_alert a JOIN corrections_supervisee s ON s.id = a.supervisee_id
WHERE s.justice_office_id = %(office)s
ORDER BY a.due_date DESC, a.id DESC
LIMIT 50
