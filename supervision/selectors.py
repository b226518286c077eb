"""Every read of daily supervision, and the suggestions drawn from it. Each goes through the case scoping
of corrections (`supervisees_visible_to`); out of scope is 404. Filters arrive read (config.params, in
the views): ids as numbers, codes among the choices."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from config.office_time import office_today
from config.sql import AmongIds
from corrections import law
from corrections.constants import EXIT_STATUSES, Category, Status
from corrections.models import Supervisee
from corrections.scoping import supervisees_visible_to
from documents.constants import DocumentKind
from documents.models import Document

from .constants import (
    AlertKind,
    AlertStatus,
    MeasureKind,
    MeasureStatus,
    MedicalConclusion,
    MedicalReportKind,
    PositioningStatus,
)
from .duties import next_report_due
from .medical import needs_reexamination, reexamination_due
from .models import (
    Alert,
    CheckIn,
    LeavePermit,
    LeaveRequest,
    Measure,
    MedicalReport,
    PositioningOrder,
    ProhibitionViolation,
)
from .positioning import REGISTER_READERS, WAS_APPROVED, in_force_on, may_read_positioning
from .rules import discipline_rule_for


def checkin_list(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[CheckIn]:
    filters = filters or {}
    checkins = CheckIn.objects.filter(supervisee__in=supervisees_visible_to(user).values("pk"))
    if filters.get("supervisee"):
        checkins = checkins.filter(supervisee_id=filters["supervisee"])
    if filters.get("kind"):
        checkins = checkins.filter(kind=filters["kind"])
    if filters.get("since"):
        checkins = checkins.filter(occurred_at__gte=filters["since"])
    if filters.get("until"):
        checkins = checkins.filter(occurred_at__lt=filters["until"])
    if filters.get("positioning_order"):
        # What an order yielded is read only by those who read orders (CCL 29 para. 3).
        if not may_read_positioning(user):
            return checkins.none()
        checkins = checkins.filter(positioning_order_id=filters["positioning_order"])
    return checkins.select_related("recorded_by").order_by("-occurred_at", "-id")


def alert_list(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Alert]:
    filters = filters or {}
    # The scope's case ids first (its indexes), then their alerts through the alert table's supervisee
    # index: as a semi-join (`supervisee_id IN (SELECT ...)`) PostgreSQL read every alert in the country
    # and hashed the scope's ids against them (200,000 alerts at 700,000 people; as
    # benchmarks/sql/alerts_api.sql does).
    alerts = Alert.objects.filter(AmongIds("supervisee_id", supervisees_visible_to(user).values("pk")))
    if not may_read_positioning(user):
        # That a case is under electronic positioning is for those who read the orders (CCL 29 para. 3).
        alerts = alerts.exclude(kind=AlertKind.POSITIONING_ENDING)
    for name in ("status", "kind"):
        if filters.get(name):
            alerts = alerts.filter(**{name: filters[name]})
    if filters.get("supervisee"):
        alerts = alerts.filter(supervisee_id=filters["supervisee"])
    # The ledger's triage filters: the case's office (an id) and its responsible officer (a username, as
    # the caseload's `officer` filter reads it).
    if filters.get("justice_office"):
        alerts = alerts.filter(supervisee__justice_office_id=filters["justice_office"])
    if filters.get("officer"):
        alerts = alerts.filter(supervisee__officer__username=filters["officer"])
    return alerts_listed(alerts)


def alerts_listed(alerts: QuerySet[Alert] | None = None) -> QuerySet[Alert]:
    """Alerts as a list shows them: with their cases and the people who acted on them, newest due first.
    Without `alerts`, every alert: the full rows of a page whose alerts a scoped list chose
    (config.paging.PageFirstPaginator)."""
    alerts = Alert.objects.all() if alerts is None else alerts
    return alerts.select_related("supervisee", "resolved_by", "acknowledged_by").order_by("-due_date", "-id")


def alerts_by_urgency(alerts: QuerySet[Alert]) -> QuerySet[Alert]:
    """The ledger's order (triage): those needing action before the resolved, and among them the earliest
    due date first. An alert due before today is overdue, so this puts every overdue alert first, the most
    days overdue at the top, then those still to come, the soonest first: a report missed 21 days ago
    stands above every period ending next month, however many there are."""
    needing_action = Case(
        When(status__in=(AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return alerts.alias(needing_action=needing_action).order_by("needing_action", "due_date", "id")


def alert_get(*, user: User, pk: Any) -> Alert:
    try:
        return alert_list(user=user).get(pk=int(pk))
    except (Alert.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def leave_request_list(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[LeaveRequest]:
    """The leave of the cases the caller sees; one query for a page whatever its size."""
    filters = filters or {}
    leave = LeaveRequest.objects.filter(supervisee__in=supervisees_visible_to(user).values("pk"))
    if filters.get("supervisee"):
        leave = leave.filter(supervisee_id=filters["supervisee"])
    if filters.get("status"):
        leave = leave.filter(status=filters["status"])
    return leave.select_related("requested_by", "decided_by").order_by("-start_date", "-id")


def leave_request_get(*, user: User, pk: Any) -> LeaveRequest:
    try:
        return leave_request_list(user=user).get(pk=int(pk))
    except (LeaveRequest.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def leave_permit_list(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[LeavePermit]:
    """The standing cross-city permits of the cases the caller sees; one query for a page."""
    filters = filters or {}
    permits = LeavePermit.objects.filter(supervisee__in=supervisees_visible_to(user).values("pk"))
    if filters.get("supervisee"):
        permits = permits.filter(supervisee_id=filters["supervisee"])
    if filters.get("status"):
        permits = permits.filter(status=filters["status"])
    return permits.select_related("proposed_by", "decided_by").order_by("-start_date", "-id")


def leave_permit_get(*, user: User, pk: Any) -> LeavePermit:
    try:
        return leave_permit_list(user=user).get(pk=int(pk))
    except (LeavePermit.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def measure_list(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Measure]:
    """The measures of the cases the caller sees; one query for a page whatever its size."""
    filters = filters or {}
    measures = Measure.objects.filter(supervisee__in=supervisees_visible_to(user).values("pk"))
    if filters.get("supervisee"):
        measures = measures.filter(supervisee_id=filters["supervisee"])
    for name in ("kind", "status"):
        if filters.get(name):
            measures = measures.filter(**{name: filters[name]})
    return measures.select_related("proposed_by", "decided_by").order_by("-occurred_on", "-id")


def measure_get(*, user: User, pk: Any) -> Measure:
    try:
        return measure_list(user=user).get(pk=int(pk))
    except (Measure.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def medical_report_list(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[MedicalReport]:
    """The health reports and re-examinations of the cases the caller sees (temporary execution)."""
    filters = filters or {}
    reports = MedicalReport.objects.filter(supervisee__in=supervisees_visible_to(user).values("pk"))
    for name in ("supervisee", "kind", "conclusion"):
        if filters.get(name):
            reports = reports.filter(**{name if name != "supervisee" else "supervisee_id": filters[name]})
    return reports.select_related("recorded_by").order_by("-date", "-id")


def medical_report_get(*, user: User, pk: Any) -> MedicalReport:
    try:
        return medical_report_list(user=user).get(pk=int(pk))
    except (MedicalReport.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def prohibition_violation_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> QuerySet[ProhibitionViolation]:
    """The violations of prohibition orders recorded for the cases the caller sees (like measures)."""
    filters = filters or {}
    violations = ProhibitionViolation.objects.filter(supervisee__in=supervisees_visible_to(user).values("pk"))
    if filters.get("supervisee"):
        violations = violations.filter(supervisee_id=filters["supervisee"])
    if filters.get("prohibition"):
        violations = violations.filter(prohibition_id=filters["prohibition"])
    return violations.select_related("recorded_by", "prohibition").order_by("-occurred_on", "-id")


def prohibition_violation_get(*, user: User, pk: Any) -> ProhibitionViolation:
    try:
        return prohibition_violation_list(user=user).get(pk=int(pk))
    except (ProhibitionViolation.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def check_may_read_positioning(user: User) -> None:
    """A list of orders answers 403 to a role that does not read them (docs/roles.md#need-to-know)."""
    if not may_read_positioning(user):
        raise PermissionDenied(_("Your role does not read electronic positioning orders."))


def positioning_order_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> QuerySet[PositioningOrder]:
    """The electronic positioning orders of the cases the caller sees, for the roles that read them
    (none for the others); one query for a page whatever its size, with each order's count of location
    checks. `in_force`: those in force on the office's today."""
    filters = filters or {}
    if not may_read_positioning(user):
        return PositioningOrder.objects.none()
    orders = PositioningOrder.objects.filter(supervisee__in=supervisees_visible_to(user).values("pk"))
    if filters.get("supervisee"):
        orders = orders.filter(supervisee_id=filters["supervisee"])
    for name in ("status", "ground"):
        if filters.get(name):
            orders = orders.filter(**{name: filters[name]})
    if filters.get("in_force") is not None:
        condition = in_force_on(office_today())
        orders = orders.filter(condition) if filters["in_force"] else orders.exclude(condition)
    return (
        orders.select_related("proposed_by", "decided_by", "ended_by")
        .annotate(location_check_count=Count("location_checks"))
        .order_by("-start_date", "-id")
    )


def positioning_order_get(*, user: User, pk: Any) -> PositioningOrder:
    try:
        return positioning_order_list(user=user).get(pk=int(pk))
    except (PositioningOrder.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def positioning_decisions(orders) -> dict[int, Document]:
    """Each approved order's decision document as it now stands (its correction, if corrected), by the
    order's id: one query for a page of orders. Read by those who read orders, who read every document of
    their cases (documents.selectors)."""
    ids = [str(order.pk) for order in orders if order.status in WAS_APPROVED]
    if not ids:
        return {}
    documents = Document.objects.filter(
        kind=DocumentKind.POSITIONING_DECISION,
        source_type=PositioningOrder._meta.label_lower,
        source_id__in=ids,
        replaced_by__isnull=True,
    ).order_by("id")
    return {int(document.source_id): document for document in documents}


def positioning_register(*, user: User, on: dt.date | None = None) -> QuerySet[PositioningOrder]:
    """The register of orders in force on `on` (default today) or approved to begin later, for the
    bureau's supervisors and the procuratorate of the district, soonest ending first."""
    if user.role not in REGISTER_READERS:
        raise PermissionDenied(
            _("The register of electronic positioning is kept for supervisors and the procuratorate.")
        )
    on = on or office_today()
    orders = PositioningOrder.objects.filter(supervisee__in=supervisees_visible_to(user).values("pk")).filter(
        in_force_on(on) | Q(status=PositioningStatus.APPROVED, start_date__gt=on)
    )
    return orders.select_related(
        "supervisee__justice_office", "proposed_by", "decided_by", "extends"
    ).order_by("end_date", "id")


# Suggestions: the software suggests, a person decides
# (docs/rules.md#measures-and-proposals-the-software-suggests-a-person-decides).
REVOCATION_PROPOSAL = "revocation_proposal"
RECOMMITMENT_PROPOSAL = "recommitment_proposal"
WARNING_PROPOSAL = "warning"
ADMONITION_PROPOSAL = "admonition"


def _proposal_for(category: str) -> tuple[str, str, dict[str, str]] | None:
    """(proposal, what to consider, {ground: basis}) for the grounds of revocation or recommitment, by
    category, the basis in the active language from corrections.law. Control (管制) has no revocation
    or recommitment: nothing of that kind is suggested for it."""
    if category == Category.PROBATION:
        return (
            REVOCATION_PROPOSAL,
            _("consider proposing that the court revoke probation"),
            {
                "warnings": law.cite(
                    law.PROBATION_REVOKED_BREACH, law.TWO_WARNINGS_UNCORRECTED, law.COURT_REVOKES
                ),
                "lost_contact": law.cite(
                    law.PROBATION_REVOKED_BREACH, law.OUT_OF_CONTACT_OVER_A_MONTH, law.COURT_REVOKES
                ),
            },
        )
    if category == Category.PAROLE:
        # SPC 543 para. 2: items 2 and 4 of para. 1 (a month unreported or out of contact; two warnings)
        # revoke parole, as does any other breach short of a new crime.
        grounds = law.cite(law.PAROLE_REVOKED_BREACH, law.PAROLE_REVOCATION_GROUNDS, law.COURT_REVOKES)
        return (
            REVOCATION_PROPOSAL,
            _("consider proposing that the court revoke parole"),
            {"warnings": grounds, "lost_contact": grounds},
        )
    if category == Category.TEMPORARY_EXECUTION:
        return (
            RECOMMITMENT_PROPOSAL,
            _("consider proposing recommitment to prison"),
            {
                "warnings": law.cite(
                    law.RECOMMITMENT_PROPOSAL_ADDRESSEE,
                    law.RECOMMITMENT_GROUNDS,
                    law.RECOMMITMENT_TWO_WARNINGS,
                ),
                "lost_contact": law.cite(
                    law.RECOMMITMENT_PROPOSAL_ADDRESSEE,
                    law.RECOMMITMENT_GROUNDS,
                    law.RECOMMITMENT_OUT_OF_CONTACT,
                ),
            },
        )
    return None


def _local(basis: str) -> str:
    """A basis whose number is the district's discipline rule in force (*local* data)."""
    return _("%(basis)s; the number is the local discipline rule's") % {"basis": basis}


def _absconded_since(supervisee: Supervisee) -> dt.date | None:
    """The day of the latest move to `absconded` (the dated lifecycle, corrections.StatusChange)."""
    return (
        supervisee.status_changes.filter(to_status=Status.ABSCONDED)
        .order_by("-date", "-id")
        .values_list("date", flat=True)
        .first()
    )


def revocation_suggestions(
    *, supervisee: Supervisee, on: dt.date | None = None, report_due: dt.date | None = None
) -> list[dict[str, str]]:
    """What the case's record suggests proposing, as of `on` (default the office's today): each item
    `{"code", "proposal", "message", "basis"}`. `report_due`: the case's next report due on `on`
    (supervision.duties) when the caller already has it; computed here otherwise. Thresholds are the
    *local* discipline rule in force (rules.discipline_rule_for). Grounds held by higher apps (an
    administrative penalty without reform, a proposal already sent) are not seen here."""
    on = on or office_today()
    if supervisee.status in EXIT_STATUSES:
        return []
    rule = discipline_rule_for(district_id=supervisee.justice_office.district_id, on=on)
    proposal = _proposal_for(supervisee.sentence.category)
    measures = list(
        Measure.objects.filter(supervisee=supervisee)
        .exclude(status=MeasureStatus.REJECTED)
        .values_list("kind", "status", "decided_on", "id")
    )
    approved = [
        (kind, decided_on, pk)
        for kind, status, decided_on, pk in measures
        if status == MeasureStatus.APPROVED and decided_on is not None and decided_on <= on
    ]
    warnings = sorted((decided_on, pk) for kind, decided_on, pk in approved if kind == MeasureKind.WARNING)
    suggestions: list[dict[str, str]] = []

    # CL 77, 86; CCL 46, 49: two warnings (a *local* number) and still no reform.
    # A threshold of 0 would suggest on every case; it is read as "no such suggestion".
    if proposal and 0 < rule.warnings_before_revocation <= len(warnings):
        code, action, bases = proposal
        basis = _local(bases["warnings"])
        suggestions.append(
            {
                "code": "repeated_warnings",
                "proposal": code,
                "message": _("%(count)s warnings approved (the threshold is %(threshold)s): %(action)s.")
                % {"count": len(warnings), "threshold": rule.warnings_before_revocation, "action": action},
                "basis": basis,
            }
        )

    # SPC 543 para. 1(2), para. 2; SPC 516(2): out of contact for more than a month (a *local* number).
    absconded_on = _absconded_since(supervisee) if supervisee.status == Status.ABSCONDED else None
    if proposal and absconded_on is not None:
        days = (on - absconded_on).days
        if days > rule.lost_contact_days_before_revocation:
            code, action, bases = proposal
            basis = _local(bases["lost_contact"])
            suggestions.append(
                {
                    "code": "lost_contact",
                    "proposal": code,
                    "message": _(
                        "Out of contact for %(days)s days since %(date)s "
                        "(more than %(threshold)s): %(action)s."
                    )
                    % {
                        "days": days,
                        "date": absconded_on.isoformat(),
                        "threshold": rule.lost_contact_days_before_revocation,
                        "action": action,
                    },
                    "basis": basis,
                }
            )

    suggestions += _lateness_suggestions(
        supervisee, on=on, rule=rule, proposal=proposal, measures=measures, report_due=report_due
    )
    if supervisee.sentence.category == Category.TEMPORARY_EXECUTION:
        suggestions += _medical_suggestions(supervisee, on=on)

    # CCL 28: a warning after two admonitions (a *local* number). Only the
    # admonitions decided after the last warning count: a warning answers the ones before it. Nothing is
    # suggested while a warning proposal already awaits its decision.
    last_warning = warnings[-1] if warnings else None
    admonitions_since = [
        (decided_on, pk)
        for kind, decided_on, pk in approved
        if kind == MeasureKind.ADMONITION and (last_warning is None or (decided_on, pk) > last_warning)
    ]
    warning_pending = any(
        kind == MeasureKind.WARNING and status == MeasureStatus.PROPOSED for kind, status, _d, _pk in measures
    )
    if 0 < rule.admonitions_before_warning <= len(admonitions_since) and not warning_pending:
        suggestions.append(
            {
                "code": "warning_suggested",
                "proposal": WARNING_PROPOSAL,
                "message": _(
                    "%(count)s admonitions approved with no warning since (the threshold is %(threshold)s): "
                    "consider proposing a warning."
                )
                % {"count": len(admonitions_since), "threshold": rule.admonitions_before_warning},
                "basis": _local(law.MEASURES_FOR_BREACH.render()),
            }
        )
    return suggestions


def _lateness_suggestions(
    supervisee, *, on: dt.date, rule, proposal, measures, report_due: dt.date | None = None
) -> list[dict[str, str]]:
    """From the dates alone (contract v1.1): the report the duty expects (supervision.duties, the one
    computation of the due date) not made by its day. Late by up to `late_days_for_admonition` days: an
    admonition; later: a warning; unreported for more than `lost_contact_days_before_revocation` days:
    revocation or recommitment. Nothing while a measure for a breach since the due day is pending or
    decided (the lateness has been answered), nor for a case not under supervision (no duty)."""
    due = report_due if report_due is not None else next_report_due(supervisee, on=on)
    if due is None or due >= on:
        return []
    late = (on - due).days
    answered = Measure.objects.filter(supervisee=supervisee, occurred_on__gt=due).exclude(
        status=MeasureStatus.REJECTED
    )
    if answered.exists():
        return []
    params = {"days": late, "date": due.isoformat(), "threshold": rule.late_days_for_admonition}
    if proposal and late > rule.lost_contact_days_before_revocation > 0:
        code, action, bases = proposal
        return [
            {
                "code": "unreported",
                "proposal": code,
                "message": _(
                    "No report for %(days)s days since it was due on %(date)s (more than %(threshold)s): "
                    "%(action)s."
                )
                % {**params, "threshold": rule.lost_contact_days_before_revocation, "action": action},
                "basis": _local(bases["lost_contact"]),
            }
        ]
    if late <= rule.late_days_for_admonition:
        return [
            {
                "code": "late_report",
                "proposal": ADMONITION_PROPOSAL,
                "message": _(
                    "The report due on %(date)s is %(days)s days late (up to %(threshold)s): "
                    "consider proposing an admonition."
                )
                % params,
                "basis": _local(law.MEASURES_FOR_BREACH.render()),
            }
        ]
    return [
        {
            "code": "very_late_report",
            "proposal": WARNING_PROPOSAL,
            "message": _(
                "The report due on %(date)s is %(days)s days late (more than %(threshold)s): "
                "consider proposing a warning."
            )
            % params,
            "basis": _local(law.MEASURES_FOR_BREACH.render()),
        }
    ]


def _medical_suggestions(supervisee, *, on: dt.date) -> list[dict[str, str]]:
    """Temporary execution (supervision.medical): the latest health report concluding that the ground has
    ended (for pregnancy or nursing: the period has ended) proposes recommitment (CPL 268 para. 1(3), SPC
    516(6), CCL 49); a re-examination overdue proposes a warning, and recommitment once a warning for a
    breach after its due day has been approved and gone unheeded (SPC 516(5): "经警告拒不改正")."""
    reports = list(
        MedicalReport.objects.filter(supervisee=supervisee, date__lte=on)
        .order_by("-date", "-id")
        .values_list("kind", "date", "conclusion")
    )
    suggestions: list[dict[str, str]] = []
    latest = reports[0] if reports else None
    if latest is not None and latest[2] == MedicalConclusion.GROUND_ENDED:
        pregnancy = supervisee.sentence.temporary_execution_ground == "pregnancy_nursing"
        suggestions.append(
            {
                "code": "ground_ended",
                "proposal": RECOMMITMENT_PROPOSAL,
                "message": (
                    _(
                        "The health report of %(date)s concludes that the pregnancy or nursing period has "
                        "ended: consider proposing recommitment to prison."
                    )
                    if pregnancy
                    else _(
                        "The health report of %(date)s concludes that the ground for temporary execution "
                        "has ended: consider proposing recommitment to prison."
                    )
                )
                % {"date": latest[1].isoformat()},
                "basis": law.cite(
                    law.RECOMMITMENT_GROUND_ENDED,
                    law.RECOMMITMENT_GROUND_ENDED_DETAILED,
                    law.RECOMMITMENT_PROPOSAL_ADDRESSEE,
                ),
            }
        )
    if needs_reexamination(supervisee) and supervisee.intake_date is not None:
        last = max(
            (date for kind, date, _c in reports if kind == MedicalReportKind.REEXAMINATION), default=None
        )
        due = reexamination_due(last or supervisee.intake_date)
        if due < on:
            # A warning for a breach after the re-examination fell due, approved by `on`: the software
            # cannot tell what a warning was for beyond its date, and a person checks it.
            warned = list(
                Measure.objects.filter(
                    supervisee=supervisee,
                    kind=MeasureKind.WARNING,
                    status=MeasureStatus.APPROVED,
                    occurred_on__gt=due,
                    decided_on__lte=on,
                )
                .order_by("decided_on")
                .values_list("decided_on", flat=True)
            )
            params = {"date": due.isoformat()}
            if warned:
                suggestions.append(
                    {
                        "code": "reexamination_not_made",
                        "proposal": RECOMMITMENT_PROPOSAL,
                        "message": _(
                            "The re-examination due on %(date)s has not been made, though a warning was "
                            "approved on %(warned)s: consider proposing recommitment to prison."
                        )
                        % {**params, "warned": warned[-1].isoformat()},
                        "basis": law.cite(
                            law.RECOMMITMENT_NO_REEXAMINATION, law.RECOMMITMENT_PROPOSAL_ADDRESSEE
                        ),
                    }
                )
            else:
                suggestions.append(
                    {
                        "code": "reexamination_overdue",
                        "proposal": WARNING_PROPOSAL,
                        "message": _(
                            "The re-examination due on %(date)s has not been made: consider proposing a "
                            "warning (recommitment follows only if it goes unheeded)."
                        )
                        % params,
                        "basis": law.cite(law.RECOMMITMENT_NO_REEXAMINATION, law.MEASURES_FOR_BREACH),
                    }
                )
    return suggestions
