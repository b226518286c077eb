-- The sweep's missed_report rule written by hand for PostgreSQL, for comparison with
-- supervision.sweep.missed_reports (the ORM's INSERT ... SELECT through supervision.duties
-- .with_next_report_due, one correlated subquery per case). Same rows under the default reporting rules
-- (supervision/migrations/0002_default_rules.py, one rule per level for every district): checked equal
-- at 20,000 and 100,000 demo supervisees. Parameters: %(start)s is local midnight at the start of the
-- day swept (config.office_time.start_of_day(as_of)), %(as_of)s that day.
-- The other rules are plain filters: their ORM SQL is what a hand would write.
WITH rule(level, every_days, kinds) AS (VALUES
    ('strict', 7, ARRAY['in_person']),
    ('normal', 14, ARRAY['in_person', 'phone', 'self_report', 'video']),
    ('lenient', 30, ARRAY['in_person', 'phone', 'self_report', 'video', 'written_report'])),
last_report AS (
    SELECT c.supervisee_id, max(c.occurred_at) AS at
    FROM supervision_checkin c
    JOIN corrections_supervisee s ON s.id = c.supervisee_id
    JOIN rule ON rule.level = s.management_level
    WHERE s.status = 'under_supervision' AND c.kind = ANY (rule.kinds) AND c.occurred_at < %(start)s
    GROUP BY c.supervisee_id),
returned AS (
    SELECT supervisee_id, max(date) AS day FROM corrections_statuschange
    WHERE from_status = 'in_custody' AND to_status = 'under_supervision' GROUP BY supervisee_id),
due AS (
    SELECT s.id, greatest((l.at AT TIME ZONE 'Asia/Shanghai')::date, r.day, s.intake_date) + rule.every_days AS day
    FROM corrections_supervisee s
    JOIN rule ON rule.level = s.management_level
    LEFT JOIN last_report l ON l.supervisee_id = s.id
    LEFT JOIN returned r ON r.supervisee_id = s.id
    WHERE s.status = 'under_supervision')
INSERT INTO supervision_alert (supervisee_id, kind, due_date, status, created_at, resolution_note)
SELECT id, 'missed_report', day, 'open', now(), '' FROM due WHERE day < %(as_of)s
ON CONFLICT DO NOTHING;
