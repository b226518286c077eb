-- The /reports/ page's twelve-month trend for a district in one statement: under correction at each
-- month's end, by category.
SELECT m.month_end, se.category, count(*)
FROM generate_series(%(first_month)s::date, %(last_month)s::date, interval '1 month') AS g(month_start)
CROSS JOIN LATERAL (SELECT (g.month_start + interval '1 month - 1 day')::date AS month_end) m
JOIN corrections_supervisee s ON s.intake_date <= m.month_end AND (s.exit_date IS NULL OR s.exit_date > m.month_end)
JOIN corrections_sentence se ON se.supervisee_id = s.id
JOIN accounts_agency o ON o.id = s.justice_office_id
WHERE o.district_id = %(district)s
GROUP BY m.month_end, se.category
ORDER BY m.month_end, se.category
