-- The core monthly figures for one district (or every district when %(district)s is NULL): under
-- correction at the month's end, received and released in the month, by category and in all (the row
-- with a NULL category), and the check-ins of the month.
-- Written for speed, one plan for each case (the branch that does not apply is planned as a one-time
-- false filter): a district's people are read once by its offices' index and kept (`district_people`)
-- for the figures and for probing their check-ins; everyone is grouped straight from the tables (a CTE
-- scan, and a ROLLUP's grouping sets, run in one process: this way the grouping runs in parallel and
-- the total is summed from the categories' rows), and their check-ins are counted with no join (every
-- check-in is someone's).
WITH district_people AS MATERIALIZED (
    SELECT s.id, s.intake_date, s.exit_date, se.category
    FROM corrections_supervisee s JOIN corrections_sentence se ON se.supervisee_id = s.id
    JOIN accounts_agency o ON o.id = s.justice_office_id
    WHERE o.district_id = %(district)s::bigint
), by_category AS (
    SELECT category,
           count(*) FILTER (WHERE intake_date <= %(last)s AND (exit_date IS NULL OR exit_date > %(last)s)) AS at_end,
           count(*) FILTER (WHERE intake_date BETWEEN %(first)s AND %(last)s) AS received,
           count(*) FILTER (WHERE exit_date BETWEEN %(first)s AND %(last)s) AS released
    FROM district_people
    GROUP BY category
    UNION ALL
    SELECT se.category,
           count(*) FILTER (WHERE intake_date <= %(last)s AND (exit_date IS NULL OR exit_date > %(last)s)) AS at_end,
           count(*) FILTER (WHERE intake_date BETWEEN %(first)s AND %(last)s) AS received,
           count(*) FILTER (WHERE exit_date BETWEEN %(first)s AND %(last)s) AS released
    FROM corrections_supervisee s JOIN corrections_sentence se ON se.supervisee_id = s.id
    WHERE %(district)s::bigint IS NULL
    GROUP BY se.category
), checkins AS (
    SELECT (SELECT count(*) FROM supervision_checkin c
            WHERE %(district)s::bigint IS NULL
              AND c.occurred_at >= %(first)s AND c.occurred_at < %(last)s::date + 1)
           + (SELECT count(*) FROM supervision_checkin c JOIN district_people p ON p.id = c.supervisee_id
              WHERE c.occurred_at >= %(first)s AND c.occurred_at < %(last)s::date + 1) AS checkins
)
SELECT b.category, b.at_end, b.received, b.released, c.checkins FROM by_category b, checkins c
UNION ALL
SELECT NULL, coalesce(sum(b.at_end), 0)::bigint, coalesce(sum(b.received), 0)::bigint,
       coalesce(sum(b.released), 0)::bigint, c.checkins
FROM checkins c LEFT JOIN by_category b ON true
GROUP BY c.checkins
