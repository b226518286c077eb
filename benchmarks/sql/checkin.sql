-- One check-in, as a client with its own connection would write it (one transaction per row).
INSERT INTO supervision_checkin (supervisee_id, kind, occurred_at, recorded_by_id, recorded_at, notes)
VALUES (%(supervisee)s, 'phone', now(), %(officer)s, now(), %(notes)s)
