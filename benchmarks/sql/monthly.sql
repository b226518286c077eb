-- The core monthly figures for one district (or every district when %(district)s is NULL): under
-- correction at the month's end, received and released in the month, by category, and check-ins.
WITH population AS (
    SELECT s.id, s.intake_date, s.exit_date, se.category
    FROM corrections_supervisee s JOIN corrections_sentence se ON se.supervisee_id = s.id
    JOIN accounts_agency o ON o.id = s.justice_office_id
    WHERE (%(district)s::bigint IS NULL OR o.district_id = %(district)s::bigint)
)
SELECT category,
       count(*) FILTER (WHERE intake_date <= %(last)s AND (exit_date IS NULL OR exit_date > %(last)s)) AS at_end,
       count(*) FILTER (WHERE intake_date BETWEEN %(first)s AND %(last)s) AS received,
       count(*) FILTER (WHERE exit_date BETWEEN %(first)s AND %(last)s) AS released,
       (SELECT count(*) FROM supervision_checkin c JOIN population p ON p.id = c.supervisee_id
        WHERE c.occurred_at >= %(first)s AND c.occurred_at < %(last)s::date + 1) AS checkins
FROM population
GROUP BY ROLLUP (category)
