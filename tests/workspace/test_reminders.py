"""Reminders before deadlines (workspace.reminders): by e-mail when mail is configured (Django's locmem
backend in tests), each reminder once whatever runs twice, honouring each user's setting, rolled back
when the mail fails; and the settings page, which needs a role and CSRF like every page POST."""

import datetime as dt
import threading
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from accounts.models import AuditEvent
from coordination.services import referral_create, referral_send
from tests.factories import SuperviseeFactory, UserFactory
from workspace.models import ReminderPreference, SentReminder
from workspace.reminders import mail_configured, reminders_send
from workspace.tasks import send_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def deadlines(office, officer, agencies):
    """Three deadlines inside their windows on 2026-11-25 (the suite's day), one outside."""
    officer.email = "officer@example.org"
    officer.save()
    police = UserFactory(role="police", agency=agencies["police"], email="police@example.org")
    UserFactory(role="police", agency=agencies["police"], email="")  # no address: nothing to send
    intake = SuperviseeFactory(
        justice_office=office,
        officer=officer,
        status="pending_report",
        sentence__effective=dt.date(2026, 11, 17),  # intake deadline 11-27 (CCL 21: 10 days)
    )
    ending = SuperviseeFactory(justice_office=office, officer=officer)
    ending.sentence.end_date = dt.date(2026, 11, 30)
    ending.sentence.save()
    far = SuperviseeFactory(justice_office=office, officer=officer)  # ends years ahead: no reminder
    referral = referral_create(
        supervisee=ending, by=officer, to_agency=agencies["police"], kind="absconder_search", summary="失联"
    )
    referral_send(referral=referral, by=officer)
    referral.due_date = dt.date(2026, 11, 26)
    referral.save(update_fields=["due_date"])
    return {"intake": intake, "ending": ending, "far": far, "referral": referral, "police": police}


def test_the_reminder_task_run_twice_sends_each_reminder_once(settings, deadlines, officer):
    assert mail_configured()  # the tests' locmem backend
    assert send_reminders() == 3
    assert send_reminders() == 0
    assert len(mail.outbox) == 2  # one e-mail per user, holding all of theirs
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"officer@example.org", "police@example.org"}
    officer_mail = by_address["officer@example.org"].body
    assert "2026-11-27" in officer_mail and deadlines["intake"].case_number in officer_mail
    assert "2026-11-30" in officer_mail and deadlines["ending"].case_number in officer_mail
    assert deadlines["far"].case_number not in officer_mail
    # Never the person's name (the e-mail leaves the system).
    assert deadlines["intake"].name not in officer_mail and deadlines["ending"].name not in officer_mail
    assert f"/referrals/{deadlines['referral'].pk}/" in by_address["police@example.org"].body
    assert sorted(SentReminder.objects.values_list("kind", "due_date")) == [
        ("intake_deadline", dt.date(2026, 11, 27)),
        ("period_end", dt.date(2026, 11, 30)),
        ("referral_due", dt.date(2026, 11, 26)),
    ]
    assert AuditEvent.objects.filter(target_type="workspace.sentreminder").count() == 3
    # The next morning, still inside the windows: nothing again.
    assert send_reminders(as_of="2026-11-26") == 0
    assert len(mail.outbox) == 2


def test_a_failed_mail_rolls_its_reminders_back_and_the_next_run_sends_them(deadlines):
    with mock.patch("workspace.reminders.send_mail", side_effect=OSError("mail server down")):
        assert reminders_send(today=dt.date(2026, 11, 25)) == 0
    assert not SentReminder.objects.exists() and not mail.outbox
    assert reminders_send(today=dt.date(2026, 11, 25)) == 3


def test_nothing_is_sent_without_mail_settings(settings, deadlines):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = ""
    assert not mail_configured()
    assert send_reminders() == 0
    assert not SentReminder.objects.exists()


def test_a_user_who_turned_a_kind_off_gets_only_the_others(client, deadlines, officer):
    client.force_login(officer)
    response = client.post("/settings/reminders/", {"intake_deadline": "on", "referral_due": "on"})
    assert response.status_code == 302
    preference = ReminderPreference.objects.get(user=officer)
    assert (preference.intake_deadline, preference.period_end, preference.referral_due) == (True, False, True)
    event = AuditEvent.objects.filter(target_type="workspace.reminderpreference").get()
    assert event.changes == {"period_end": {"before": True, "after": False}}
    send_reminders()
    officer_mail = next(m for m in mail.outbox if m.to == ["officer@example.org"]).body
    assert "2026-11-27" in officer_mail and "2026-11-30" not in officer_mail
    assert not SentReminder.objects.filter(kind="period_end").exists()
    # Turned back on: the period's end goes out on the next run, once.
    client.post("/settings/reminders/", {"intake_deadline": "on", "period_end": "on", "referral_due": "on"})
    assert send_reminders() == 1


def test_the_settings_page_in_both_languages(client, officer, police):
    client.force_login(police)
    english = client.get("/settings/reminders/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Reminders by e-mail" in english and "checked" in english
    chinese = client.get("/settings/reminders/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "邮件提醒" in chinese


def test_the_settings_form_needs_csrf_and_a_role(officer, site_admin):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(officer)
    assert strict.post("/settings/reminders/", {}).status_code == 403
    assert not ReminderPreference.objects.exists()
    admin = Client()
    admin.force_login(site_admin)
    assert admin.post("/settings/reminders/", {}).status_code == 403
    assert Client().post("/settings/reminders/", {}).status_code == 302  # to the sign-in page
    assert not ReminderPreference.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers; the race needs PostgreSQL"
)
def test_two_runs_at_once_send_each_reminder_once(deadlines):
    barrier = threading.Barrier(2)
    results = []

    def run():
        barrier.wait()
        try:
            results.append(reminders_send(today=dt.date(2026, 11, 25)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 3
    assert SentReminder.objects.count() == 3
    assert sorted(len(m.body.splitlines()) > 2 for m in mail.outbox) == [True, True]
    assert sorted(m.to[0] for m in mail.outbox) == ["officer@example.org", "police@example.org"]
