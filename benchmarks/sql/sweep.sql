-- The sweep's core rules as one statement: missed_report, intake_overdue, term_ending, leave_overdue,
-- as of %(as_of)s, into hand_alert (the bench creates it as a temp table with the alerts' unique key).
-- Reporting duty: the default rules in force (district NULL) the day before; the next report is due
-- every_days after the later of (the local day of the last qualifying report made before the day
-- began) and (the intake, or the last return from custody). One GROUP BY over the check-ins.
WITH rules AS (
    SELECT DISTINCT ON (management_level) management_level AS level, every_days,
           ARRAY(SELECT jsonb_array_elements_text(qualifying_kinds::jsonb)) AS kinds
    FROM supervision_reportingrule
    WHERE district_id IS NULL AND duty = 'report' AND effective_from <= %(rule_day)s
    ORDER BY management_level, effective_from DESC
), open_cases AS (
    SELECT s.id, s.intake_date, r.every_days, r.kinds
    FROM corrections_supervisee s JOIN rules r ON r.level = s.management_level
    WHERE s.status = 'under_supervision' AND r.every_days IS NOT NULL
), returned AS (
    SELECT supervisee_id, max(date) AS date FROM corrections_statuschange
    WHERE from_status = 'in_custody' AND to_status = 'under_supervision' GROUP BY supervisee_id
), last_by_kind AS (
    SELECT supervisee_id, kind, max(occurred_at) AS at FROM supervision_checkin
    WHERE occurred_at < %(cutoff)s GROUP BY supervisee_id, kind
), last_report AS (
    SELECT o.id, max(l.at) AS at FROM open_cases o
    JOIN last_by_kind l ON l.supervisee_id = o.id AND l.kind = ANY (o.kinds) GROUP BY o.id
), missed AS (
    SELECT o.id,
           GREATEST(COALESCE((lr.at AT TIME ZONE 'Asia/Shanghai')::date, GREATEST(rt.date, o.intake_date)),
                    GREATEST(rt.date, o.intake_date)) + o.every_days AS due
    FROM open_cases o
    LEFT JOIN returned rt ON rt.supervisee_id = o.id
    LEFT JOIN last_report lr ON lr.id = o.id
)
INSERT INTO hand_alert (supervisee_id, kind, due_date)
SELECT id, 'missed_report', due FROM missed WHERE due < %(as_of)s
UNION ALL
SELECT s.id, 'intake_overdue', se.effective_date + %(intake_days)s
FROM corrections_supervisee s JOIN corrections_sentence se ON se.supervisee_id = s.id
WHERE s.status = 'pending_report' AND se.effective_date + %(intake_days)s < %(as_of)s
UNION ALL
SELECT s.id, 'term_ending', se.end_date
FROM corrections_supervisee s JOIN corrections_sentence se ON se.supervisee_id = s.id
WHERE s.status IN ('under_supervision', 'absconded', 'in_custody')
  AND se.end_date BETWEEN %(as_of)s AND %(as_of)s + 30
UNION ALL
SELECT l.supervisee_id, 'leave_overdue', l.end_date
FROM supervision_leaverequest l JOIN corrections_supervisee s ON s.id = l.supervisee_id
WHERE l.status = 'approved' AND l.end_date < %(as_of)s AND s.status = 'under_supervision'
ON CONFLICT DO NOTHING
