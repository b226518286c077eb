"""Reminders before deadlines (workspace.reminders): each user's choice of which to receive by e-mail,
and the record of each one sent, unique, so that a reminder goes out once whatever runs twice."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    INTAKE_DEADLINE = "intake_deadline", _("Intake deadline")
    PERIOD_END = "period_end", _("End of the correction period")
    REFERRAL_DUE = "referral_due", _("Referral answer due")


class ReminderPreference(models.Model):
    """Which reminders a user receives by e-mail; a user without a row receives every kind."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="reminder_preference",
    )
    intake_deadline = models.BooleanField(_("intake deadlines"), default=True)
    period_end = models.BooleanField(_("ends of correction periods"), default=True)
    referral_due = models.BooleanField(_("referral answers due"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reminder setting")
        verbose_name_plural = _("reminder settings")

    def __str__(self) -> str:
        return str(self.user)


class SentReminder(models.Model):
    """One reminder sent by e-mail: to whom, of what deadline (kind, the record, the day). The unique
    constraint is what makes the task safe to run twice, or twice at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    # The supervisee for an intake deadline or a period's end, the referral for an answer due.
    target_type = models.CharField(_("record type"), max_length=50)
    target_id = models.PositiveBigIntegerField(_("record id"))
    due_date = models.DateField(_("deadline"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "target_type", "target_id", "due_date"], name="sent_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind} · {self.due_date}"
