"""Custody after an arrest the court decided on a revocation proposal (CCL 47 para. 2: at most 30 days),
and the two alert rules of arrest requests. The one home of "since when, and until when, may this person
be held after the arrest", read by the sweep's `custody_over_limit` and the case page.

A case counts as held after an arrest when it is `in_custody` and a revocation proposal about it, still
awaiting the court's ruling (sent or accepted), carries an arrest the court decided (granted). The 30
days count from the later of the day the case moved into custody and the day the arrest was decided
(custody under another measure before the decision is not custody "after the arrest"); the day they
start does not count (CPL 105 para. 2), so custody from day D may last to the end of day D + 30. Once
the court rules, the police send the person to prison or release them (CCL 48 paras. 3, 4), and the
limit no longer applies.
"""

import datetime as dt

from django.db.models import DateField, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from config.office_time import local_day, start_of_day
from config.sql import AddDays
from corrections import law
from corrections.constants import Status
from corrections.models import StatusChange, Supervisee
from supervision.alert_rows import AlertRows, alert_rows

from .constants import OPEN_REFERRAL_STATUSES, ArrestStatus
from .models import ArrestRequest


def with_arrest_custody(supervisees: QuerySet[Supervisee]) -> QuerySet[Supervisee]:
    """`supervisees` annotated with `arrest_custody_from` and `arrest_custody_until` (the last day custody
    may last), both null unless the case is held after an arrest as the module says."""
    custody_from = (
        StatusChange.objects.filter(supervisee=OuterRef("pk"), to_status=Status.IN_CUSTODY)
        .order_by("-date", "-id")
        .values("date")[:1]
    )
    arrest_day = (
        ArrestRequest.objects.filter(
            referral__supervisee=OuterRef("pk"),
            status=ArrestStatus.GRANTED,
            referral__status__in=sorted(OPEN_REFERRAL_STATUSES),
        )
        .order_by("-decided_at")
        .values(day=local_day("decided_at"))[:1]
    )
    start = Greatest(
        Coalesce(Subquery(custody_from, output_field=DateField()), F("arrest_day")),
        F("arrest_day"),
        output_field=DateField(),
    )
    return (
        supervisees.filter(status=Status.IN_CUSTODY)
        .alias(arrest_day=Subquery(arrest_day, output_field=DateField()))
        .filter(arrest_day__isnull=False)
        .annotate(arrest_custody_from=start)
        .annotate(
            arrest_custody_until=AddDays(
                F("arrest_custody_from"), Value(law.ARREST_CUSTODY_LIMIT_DAYS, output_field=IntegerField())
            )
        )
    )


def arrest_custody(supervisee: Supervisee, *, today: dt.date) -> dict | None:
    """For the case page: since when the person is held after the arrest, the days counted so far, the
    limit and its last day, and whether it has passed. None when the case is not held after an arrest."""
    row = (
        with_arrest_custody(Supervisee.objects.filter(pk=supervisee.pk))
        .values("arrest_custody_from", "arrest_custody_until")
        .first()
    )
    if row is None or row["arrest_custody_from"] is None:
        return None
    start, until = row["arrest_custody_from"], row["arrest_custody_until"]
    if isinstance(until, str):  # SQLite's date() answers text
        until = dt.date.fromisoformat(until)
    return {
        "since": start,
        "days": max((today - start).days, 0),
        "limit": law.ARREST_CUSTODY_LIMIT_DAYS,
        "until": until,
        "over": today > until,
        "basis": law.ARREST_DECIDED_BY_COURT,
    }


def custody_over_limit(as_of: dt.date) -> AlertRows:
    """Held after an arrest beyond the last day the law allows (CCL 47 para. 2): one alert per case and
    last day."""
    cases = with_arrest_custody(Supervisee.objects.all()).filter(arrest_custody_until__lt=as_of)
    return alert_rows(cases, due="arrest_custody_until")


def arrests_overdue(as_of: dt.date) -> AlertRows:
    """An arrest request the court had not decided when its 48 hours ran out before `as_of` began, while
    its proposal is still open (CCL 47 para. 2): one alert per case, dated the day the hours ran out."""
    requests = ArrestRequest.objects.filter(
        status=ArrestStatus.REQUESTED,
        referral__status__in=sorted(OPEN_REFERRAL_STATUSES),
        decision_due_at__lt=start_of_day(as_of),
    )
    return alert_rows(requests, due=local_day("decision_due_at"), supervisee="referral__supervisee")
