"""Every write of daily supervision, one module per subject: check-ins, alerts, leave, measures."""
