"""Reminders before deadlines: the intake deadline (CCL 21, corrections.intake), the end of the
correction period (the sentence's `end_date`), and the day a referral's answer is due (its `due_date`,
coordination's `ReferralDeadline`). Each deadline is read from its one home; this module only decides
who is reminded, how many days before, and that each reminder is sent once.

- On the morning digest (`reminders_for`), every reminder of the reader's cases and inbox.
- By e-mail (`reminders_send`, the Celery task `workspace.send_reminders`, beat 07:30 office time), when
  Django's mail settings are configured (`mail_configured`): to the case's officer (intake, end of
  period) and to the users of the agency a referral was sent to (its answer), each user with an address
  and not opted out (`ReminderPreference`, `/settings/reminders/`). A `SentReminder` row, unique per
  (user, kind, record, deadline), is written in the transaction that sends the mail: a second run, or
  two at once, send nothing again; a mail that fails rolls its rows back, and the next run tries again.
  A reminder is sent on any day of its window (LEAD_DAYS before the deadline, up to the deadline), so a
  day the worker was down is caught up.

The e-mail leaves the system: it names the case number, the deadline and the page, never the person's
name or ID number (CCL 26 para. 2 protects their identity and privacy; CCL 61(4) punishes disclosing
what must be kept confidential).
"""

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.constants import AuditAction, Role
from accounts.models import User
from accounts.services import audit_record, field_changes
from coordination.constants import OPEN_REFERRAL_STATUSES
from coordination.models import Referral
from coordination.selectors import referral_list
from corrections import selectors
from corrections.constants import EXIT_STATUSES, Status
from corrections.intake import intake_deadline_expression
from corrections.models import Supervisee

from .models import ReminderKind, ReminderPreference, SentReminder

logger = logging.getLogger(__name__)

# How many days before each deadline its reminder goes out (office practice, not the law: the intake
# deadline itself is 10 days, CCL 21; the period's end is also raised as `term_ending` 30 days ahead).
LEAD_DAYS = {
    ReminderKind.INTAKE_DEADLINE: 3,
    ReminderKind.PERIOD_END: 7,
    ReminderKind.REFERRAL_DUE: 3,
}
SUPERVISEE, REFERRAL = "corrections.supervisee", "coordination.referral"
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@dataclass(frozen=True)
class Reminder:
    user_id: int
    kind: str
    target_type: str
    target_id: int
    due_date: dt.date
    case_number: str
    supervisee_id: int

    @property
    def key(self) -> tuple:
        return (self.user_id, self.kind, self.target_type, self.target_id, self.due_date)

    @property
    def label(self) -> str:
        return ReminderKind(self.kind).label

    @property
    def url(self) -> str:
        if self.target_type == REFERRAL:
            return reverse("referral-detail", args=[self.target_id])
        return reverse("supervisee-detail", args=[self.supervisee_id])


def mail_configured() -> bool:
    """Whether Django's mail settings name a way to send: a backend other than SMTP (the console, a file,
    the tests' locmem), or SMTP with a host (`EMAIL_HOST`, empty by default)."""
    return settings.EMAIL_BACKEND != SMTP_BACKEND or bool(settings.EMAIL_HOST)


def _window(kind: str, today: dt.date) -> tuple[dt.date, dt.date]:
    return today, today + dt.timedelta(days=LEAD_DAYS[kind])


def _case_reminders(cases, today: dt.date, recipient) -> list[Reminder]:
    """The intake deadlines and period ends of `cases` inside their windows (two queries);
    `recipient(case)` is the user id reminded, or None."""
    found = []
    first, last = _window(ReminderKind.INTAKE_DEADLINE, today)
    pending = (
        cases.filter(status=Status.PENDING_REPORT)
        .annotate(reminder_deadline=intake_deadline_expression())
        .filter(reminder_deadline__range=(first, last))
    )
    for case in pending:
        if (user_id := recipient(case)) is not None:
            found.append(
                Reminder(
                    user_id, ReminderKind.INTAKE_DEADLINE, SUPERVISEE, case.pk, case.reminder_deadline,
                    case.case_number, case.pk,
                )
            )  # fmt: skip
    first, last = _window(ReminderKind.PERIOD_END, today)
    ending = cases.exclude(status__in=[*EXIT_STATUSES, Status.PENDING_REPORT]).filter(
        sentence__end_date__range=(first, last)
    )
    for case in ending.select_related("sentence"):
        if (user_id := recipient(case)) is not None:
            found.append(
                Reminder(
                    user_id, ReminderKind.PERIOD_END, SUPERVISEE, case.pk, case.sentence.end_date,
                    case.case_number, case.pk,
                )
            )  # fmt: skip
    return found


def _referral_window(referrals, today: dt.date):
    first, last = _window(ReminderKind.REFERRAL_DUE, today)
    return (
        referrals.filter(status__in=sorted(OPEN_REFERRAL_STATUSES), due_date__range=(first, last))
        .prefetch_related(None)
        .select_related("supervisee")
        .order_by("due_date", "id")
    )


def _referral_reminder(user_id: int, referral: Referral) -> Reminder:
    return Reminder(
        user_id, ReminderKind.REFERRAL_DUE, REFERRAL, referral.pk, referral.due_date,
        referral.supervisee.case_number, referral.supervisee_id,
    )  # fmt: skip


def reminders_for(*, user: User, today: dt.date) -> list[Reminder]:
    """The reminders of the deadlines ahead that concern `user`, soonest first, read through their
    scope: an officer's own cases, a supervisor's district, and the referrals waiting for the user's
    agency to answer."""
    cases = selectors.supervisee_list(user=user).prefetch_related(None)
    if user.role == Role.JUSTICE_OFFICER:
        cases = cases.filter(officer=user)
    found = _case_reminders(cases.order_by(), today, lambda case: user.pk)
    inbox = referral_list(user=user, filters={"box": "inbox"})
    found += [_referral_reminder(user.pk, referral) for referral in _referral_window(inbox, today)]
    return sorted(found, key=lambda r: (r.due_date, r.kind, r.case_number))


def _mailable_users():
    return User.objects.filter(is_active=True).exclude(email="")


def reminders_due(*, today: dt.date) -> list[Reminder]:
    """Every reminder to send by e-mail on `today`: inside its window, to a user with an address who has
    not turned that kind off, and not sent before."""
    users = _mailable_users()
    cases = Supervisee.objects.filter(officer__in=users, officer__role=Role.JUSTICE_OFFICER).order_by()
    found = _case_reminders(cases, today, lambda case: case.officer_id)
    referrals = list(_referral_window(Referral.objects.all(), today))
    receivers: dict[int, list[int]] = defaultdict(list)
    for user_id, agency_id in users.filter(agency_id__in={r.to_agency_id for r in referrals}).values_list(
        "id", "agency_id"
    ):
        receivers[agency_id].append(user_id)
    found += [_referral_reminder(uid, r) for r in referrals for uid in receivers[r.to_agency_id]]
    if not found:
        return []
    user_ids = {r.user_id for r in found}
    off = {
        (pref.user_id, kind)
        for pref in ReminderPreference.objects.filter(user_id__in=user_ids)
        for kind in ReminderKind.values
        if not getattr(pref, kind)
    }
    sent = set(
        SentReminder.objects.filter(
            user_id__in=user_ids,
            due_date__gte=today,
            due_date__lte=today + dt.timedelta(days=max(LEAD_DAYS.values())),
        ).values_list("user_id", "kind", "target_type", "target_id", "due_date")
    )
    return [r for r in found if (r.user_id, r.kind) not in off and r.key not in sent]


def _mail_text(reminders: list[Reminder]) -> tuple[str, str]:
    subject = ngettext(
        "Community correction: %(n)d deadline ahead",
        "Community correction: %(n)d deadlines ahead",
        len(reminders),
    ) % {"n": len(reminders)}
    lines = [_("Deadlines ahead in the case system:"), ""]
    for reminder in reminders:
        lines.append(
            _("%(date)s  %(kind)s  case %(case)s  (%(url)s)")
            % {
                "date": reminder.due_date.isoformat(),
                "kind": reminder.label,
                "case": reminder.case_number,
                "url": reminder.url,
            }
        )
    lines += [
        "",
        _("Turn these e-mails off in the case system: %(url)s") % {"url": reverse("reminder-settings")},
    ]
    return subject, "\n".join(lines)


def reminders_send(*, today: dt.date) -> int:
    """Send today's reminders, one e-mail per user holding all of theirs; return how many reminders went
    out. Nothing without mail settings. Safe to run twice, or twice at once (see the module's note)."""
    if not mail_configured():
        return 0
    by_user: dict[int, list[Reminder]] = defaultdict(list)
    for reminder in reminders_due(today=today):
        by_user[reminder.user_id].append(reminder)
    users = User.objects.in_bulk(list(by_user))
    total = 0
    for user_id, reminders in sorted(by_user.items()):
        try:
            total += _send_to(users[user_id], reminders)
        except Exception:  # one address refused must not stop the others; the next run retries it
            logger.exception("reminder e-mail to user %s failed; it is tried again on the next run", user_id)
    return total


@transaction.atomic
def _send_to(user: User, reminders: list[Reminder]) -> int:
    claimed = []
    for reminder in reminders:
        try:
            with transaction.atomic():
                row = SentReminder.objects.create(
                    user=user,
                    kind=reminder.kind,
                    target_type=reminder.target_type,
                    target_id=reminder.target_id,
                    due_date=reminder.due_date,
                )
        except IntegrityError:  # another run sent it meanwhile
            continue
        audit_record(
            actor=None,
            action=AuditAction.CREATE,
            target=row,
            supervisee_id=reminder.supervisee_id,
            changes={"kind": reminder.kind, "due_date": reminder.due_date.isoformat(), "to": user.username},
        )
        claimed.append(reminder)
    if not claimed:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _mail_text(claimed)
    # Raises on failure: the rows above roll back with it, so the reminders stay unsent.
    send_mail(subject, body, None, [user.email])
    return len(claimed)


def reminder_preference_get(*, user: User) -> ReminderPreference:
    """The user's reminder setting (unsaved defaults when they never changed it)."""
    return ReminderPreference.objects.filter(user=user).first() or ReminderPreference(user=user)


@transaction.atomic
def reminder_preference_update(*, user: User, intake_deadline: bool, period_end: bool, referral_due: bool):
    """Save which reminders `user` receives by e-mail, audited with before and after."""
    preference = ReminderPreference.objects.select_for_update().filter(user=user).first()
    before = (
        {kind: getattr(preference, kind) for kind in ReminderKind.values}
        if preference
        else dict.fromkeys(ReminderKind.values, True)
    )
    after = {
        ReminderKind.INTAKE_DEADLINE.value: intake_deadline,
        ReminderKind.PERIOD_END.value: period_end,
        ReminderKind.REFERRAL_DUE.value: referral_due,
    }
    preference = preference or ReminderPreference(user=user)
    for kind, value in after.items():
        setattr(preference, kind, value)
    preference.save()
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        target=preference,
        changes=field_changes(before, after),
    )
    return preference
