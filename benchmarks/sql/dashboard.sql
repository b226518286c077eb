-- A dashboard's figures for a district: cases by status, open alerts by kind, reports this week.
SELECT
  (SELECT json_object_agg(status, n) FROM (
      SELECT s.status, count(*) AS n FROM corrections_supervisee s
      JOIN accounts_agency o ON o.id = s.justice_office_id WHERE o.district_id = %(district)s
      GROUP BY s.status) x) AS by_status,
  (SELECT json_object_agg(kind, n) FROM (
      SELECT a.kind, count(*) AS n FROM supervision_alert a
      JOIN corrections_supervisee s ON s.id = a.supervisee_id
      JOIN accounts_agency o ON o.id = s.justice_office_id
      WHERE o.district_id = %(district)s AND a.status = 'open' GROUP BY a.kind) y) AS open_alerts,
  (SELECT count(*) FROM supervision_checkin c JOIN corrections_supervisee s ON s.id = c.supervisee_id
      JOIN accounts_agency o ON o.id = s.justice_office_id
      WHERE o.district_id = %(district)s AND c.occurred_at >= %(week_start)s) AS checkins_this_week
