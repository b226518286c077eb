-- GET /api/v1/alerts/ (page of 50): the office's alerts, newest due first, and the count.
-- The office's case ids first (its index), then their alerts through the alert table's supervisee
-- index (= ANY of the ids), sorted and counted once: joining the two let the planner scan every alert
-- of every office (a hash or merge join over the whole table, ten times slower at 700,000 people).
WITH alerts AS MATERIALIZED (
  SELECT a.* FROM supervision_alert a
  WHERE a.supervisee_id = ANY (ARRAY(
    SELECT id FROM corrections_supervisee WHERE justice_office_id = %(office)s))
)
SELECT a.*, s.name, s.case_number, (SELECT count(*) FROM alerts) AS total
FROM (SELECT * FROM alerts ORDER BY due_date DESC, id DESC LIMIT 50) a
JOIN corrections_supervisee s ON s.id = a.supervisee_id
ORDER BY a.due_date DESC, a.id DESC
