"""The case page (`/supervisees/{id}/`) and the forms on it: the quick log of a contact, suggestions,
leave, measures, a referral draft and the correction team; the intake, the lifecycle's moves and the
commission's clocks are workspace.lifecycle's. Views translate: parse, call one selector
or service, render. A refusal re-renders the case page with what was typed and the message by its field
(400, or 409 for a state that forbids it). A role that may never take the action gets 403 before anything
else (`role_required`, docs/roles.md principle 2); then a case out of scope is 404 from the selector, and a
visible case the role may not change is 403 from the service.

Each panel is `(request, supervisee, bound) -> context | None` (None: nothing for this reader), where
`bound` is the panel's own bound form after its POST failed; the page lists them in three slots.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.constants import Role
from accounts.permissions import role_required
from accounts.receivers import client_ip
from community.duties import case_hours
from community.forms import NeedCloseForm, NeedForm, NeedMatchForm
from community.selectors import (
    case_needs,
    case_participations,
    need_get,
    provider_get,
    provider_list,
    providers_for_need,
)
from community.services import FOLLOW_NEEDS, RECORD_ACTIVITIES, need_close, need_match, need_record
from config.api import StateConflict
from config.forms import run_service
from config.office_time import office_today
from coordination.custody import arrest_custody
from coordination.forms import ProcuratorialNoticeForm, ReferralDraftForm
from coordination.selectors import referral_list
from coordination.services import (
    CREATE_REFERRALS,
    ISSUE_PROCURATORIAL_NOTICES,
    procuratorial_notice_issue,
    referral_create,
)
from coordination.views import with_arrest_clock
from corrections import law, selectors, services
from corrections.constants import EXIT_STATUSES, Category, Status
from corrections.forms import TeamMemberForm
from corrections.intake import intake_deadline
from corrections.scoping import ROLES_WITHOUT_SENSITIVE_FIELDS, can_edit_case, id_number_for
from corrections.teams import (
    CHANGE_TEAMS,
    team_member_add,
    team_member_get,
    team_member_list,
    team_member_remove,
    team_requirements,
)
from documents.forms import DocumentCorrectionForm
from documents.selectors import document_get, document_list
from documents.services import CORRECT_DOCUMENTS, RECEIVING_ROLES, document_correct
from supervision.constants import PositioningStatus
from supervision.duties import next_report_due, report_urgency
from supervision.forms import (
    CheckInForm,
    LeavePermitForm,
    LeaveRequestForm,
    MeasureProposalForm,
    MedicalReportForm,
    PositioningEndForm,
    PositioningExtensionForm,
    PositioningProposalForm,
    ProhibitionViolationForm,
)
from supervision.medical import medical_dues
from supervision.positioning import may_read_positioning
from supervision.rules import leave_reasons_for
from supervision.selectors import (
    leave_permit_list,
    medical_report_list,
    positioning_decisions,
    positioning_order_get,
    positioning_order_list,
    prohibition_violation_get,
    prohibition_violation_list,
    revocation_suggestions,
)
from supervision.services.checkins import RECORD_CHECKINS, SOCIAL_WORKER_KINDS, checkin_record
from supervision.services.leave import (
    PROPOSE_PERMIT,
    RECORD_LEAVE,
    leave_permit_propose,
    leave_request_create,
)
from supervision.services.measures import PROPOSABLE_STATUSES, PROPOSE_MEASURES, measure_propose
from supervision.services.medical import RECORD_MEDICAL_REPORTS, attachment_max_bytes, medical_report_record
from supervision.services.positioning import (
    END_POSITIONING,
    PROPOSE_POSITIONING,
    positioning_order_end,
    positioning_order_propose,
)
from supervision.services.prohibitions import RECORD_VIOLATIONS, prohibition_violation_record

from .lifecycle import (
    commission_context,
    intake_panel,
    intake_record_panel,
    lifecycle_panel,
    release_link,
)
from .timeline import timeline_for
from .transfers import transfer_panel

TIMELINE_ON_PAGE = 100
ACTIVITIES_ON_PAGE = 20


# --- the panels --------------------------------------------------------------------------------------


def checkin_panel(request, supervisee, bound: CheckInForm | None):
    """The quick-log form, for those who may record on this case."""
    social_worker = request.user.role == Role.SOCIAL_WORKER
    if (
        not (can_edit_case(request.user, supervisee) or social_worker)
        or supervisee.status != Status.UNDER_SUPERVISION
    ):
        return None
    form = bound or CheckInForm()
    if social_worker:
        form.fields["kind"].choices = [c for c in form.fields["kind"].choices if c[0] in SOCIAL_WORKER_KINDS]
    return {"template": "supervision/_checkin_form.html", "form": form, "supervisee": supervisee}


def suggestions_panel(request, supervisee, bound=None):
    """What the record suggests proposing, for those who would propose it; nothing when nothing is."""
    if not can_edit_case(request.user, supervisee):
        return None
    # The page computed the case's next report due once (render_case_page); the suggestions reuse it.
    suggestions = revocation_suggestions(supervisee=supervisee, report_due=supervisee.next_report_due)
    if not suggestions:
        return None
    return {"template": "supervision/_suggestions.html", "suggestions": suggestions}


def leave_panel(request, supervisee, bound: LeaveRequestForm | None):
    """Record a request for leave (外出请假): officers of the case's office and bureau supervisors."""
    if not can_edit_case(request.user, supervisee) or supervisee.status != Status.UNDER_SUPERVISION:
        return None
    return {
        "template": "supervision/_leave_form.html",
        "form": bound or LeaveRequestForm(reasons=_leave_reasons(supervisee)),
        "supervisee": supervisee,
        "law": law.LEAVE_NEEDS_APPROVAL,
    }


def _leave_reasons(supervisee):
    """The office's proper reasons for leave in force today (CCL 27), for the case's district; read once
    per page (the leave form and the permit form share them)."""
    if not hasattr(supervisee, "_leave_reasons"):
        supervisee._leave_reasons = leave_reasons_for(
            district_id=supervisee.justice_office.district_id, on=office_today()
        )
    return supervisee._leave_reasons


def permit_panel(request, supervisee, bound: LeavePermitForm | None):
    """Standing cross-city permits (CCL 27 para. 1): the case's permits, and the form to propose one."""
    if not can_edit_case(request.user, supervisee) or supervisee.status != Status.UNDER_SUPERVISION:
        return None
    return {
        "template": "supervision/_permit_form.html",
        "form": bound or LeavePermitForm(reasons=_leave_reasons(supervisee)),
        "permits": list(leave_permit_list(user=request.user, filters={"supervisee": supervisee.pk})[:20]),
        "supervisee": supervisee,
        "law": law.LEAVE_NEEDS_APPROVAL,
    }


def measure_panel(request, supervisee, bound: MeasureProposalForm | None):
    """Propose an admonition or a warning; a bureau supervisor decides it (the approval queue)."""
    if not can_edit_case(request.user, supervisee) or supervisee.status not in PROPOSABLE_STATUSES:
        return None
    return {
        "template": "supervision/_measure_form.html",
        "form": bound or MeasureProposalForm(),
        "supervisee": supervisee,
    }


def prohibition_panel(request, supervisee, bound: ProhibitionViolationForm | None):
    """Record a violation against one of the court's prohibition orders (CL 38 para. 2, 72 para. 2), with
    the measure proposed for it: officers of the case's office and bureau supervisors, while the case is
    supervised or out of contact, when the sentence carries orders."""
    if not can_edit_case(request.user, supervisee) or supervisee.status not in PROPOSABLE_STATUSES:
        return None
    prohibitions = list(supervisee.sentence.prohibition_orders.all())
    if not prohibitions:
        return None
    return {
        "template": "supervision/_violation_form.html",
        "form": bound or ProhibitionViolationForm(prohibitions=prohibitions),
        "violations": list(
            prohibition_violation_list(user=request.user, filters={"supervisee": supervisee.pk})
        ),
        "supervisee": supervisee,
    }


def positioning_panel(request, supervisee, bound: dict | None):
    """Electronic positioning (CCL 29): the case's orders for those who read them (the office, the
    bureau's supervisors, the procuratorate), each with its decision document; for those who may change
    the case, the forms to propose, extend and end. A bureau supervisor decides proposals on the
    approvals page, never the one who proposed them."""
    if not may_read_positioning(request.user):
        return None
    orders = list(positioning_order_list(user=request.user, filters={"supervisee": supervisee.pk}))
    can_change = can_edit_case(request.user, supervisee)
    can_propose = can_change and supervisee.status == Status.UNDER_SUPERVISION
    if not orders and not can_propose:
        return None
    bound = bound or {}
    today = office_today()
    extended = {o.extends_id for o in orders if o.extends_id and o.status != PositioningStatus.REJECTED}
    documents = positioning_decisions(orders)
    rows = []
    for order in orders:
        running = order.status == PositioningStatus.APPROVED and order.end_date >= today
        extend_pk, extend_form = bound.get("extend", (None, None))
        end_pk, end_form = bound.get("end", (None, None))
        rows.append(
            {
                "order": order,
                "in_force": order.in_force_on(today),
                "document": documents.get(order.pk),
                "extend_form": (
                    (
                        extend_form
                        if extend_pk == order.pk
                        else PositioningExtensionForm(prefix=f"extend-{order.pk}")
                    )
                    if can_propose and running and order.pk not in extended
                    else None
                ),
                "end_form": (
                    (end_form if end_pk == order.pk else PositioningEndForm(prefix=f"end-{order.pk}"))
                    if can_change and running
                    else None
                ),
            }
        )
    violations = []
    if can_propose:
        violations = list(
            prohibition_violation_list(user=request.user, filters={"supervisee": supervisee.pk})
        )
    return {
        "template": "supervision/_positioning.html",
        "supervisee": supervisee,
        "rows": rows,
        "form": (bound.get("form") or PositioningProposalForm(violations=violations))
        if can_propose
        else None,
    }


def medical_panel(request, supervisee, bound: MedicalReportForm | None):
    """Temporary execution (CPL 265): the health reports and re-examinations, each with the hospital's
    document (its download audited), and the form to record one for those who may change the case while
    it is under supervision. Nothing, and no query, for another category (unless a POST to it was
    refused: the form then shows why, naming CPL 265)."""
    if supervisee.sentence.category != Category.TEMPORARY_EXECUTION:
        if bound is None:
            return None
        return {
            "template": "supervision/_medical_reports.html",
            "supervisee": supervisee,
            "form": bound,
            "max_bytes": attachment_max_bytes(),
        }
    reports = list(medical_report_list(user=request.user, filters={"supervisee": supervisee.pk}))
    can_record = can_edit_case(request.user, supervisee) and supervisee.status == Status.UNDER_SUPERVISION
    if not reports and not can_record:
        return None
    return {
        "template": "supervision/_medical_reports.html",
        "supervisee": supervisee,
        "reports": reports,
        "form": (bound or MedicalReportForm()) if can_record else None,
        "max_bytes": attachment_max_bytes(),
    }


def referral_panel(request, supervisee, bound: ReferralDraftForm | None):
    """Draft a referral about this case (sent from its own page once checked): officers of the case's
    office and bureau supervisors, while the case is open."""
    if not can_edit_case(request.user, supervisee) or supervisee.status in EXIT_STATUSES:
        return None
    return {
        "template": "coordination/_case_referral_form.html",
        "form": bound or ReferralDraftForm(user=request.user, supervisee=supervisee),
        "supervisee": supervisee,
    }


def procuratorial_notice_panel(request, supervisee, bound: ProcuratorialNoticeForm | None):
    """The procuratorate issues its notices from the case page (API.md v1.1; CCL 62)."""
    if request.user.role != Role.PROCURATORATE:
        return None
    return {
        "template": "coordination/_case_procuratorial_notice.html",
        "form": bound or ProcuratorialNoticeForm(supervisee=supervisee),
        "supervisee": supervisee,
    }


def arrest_panel(request, supervisee, bound=None):
    """Arrest requests on the case's revocation proposals that the reader sees (coordination.selectors),
    each with the court's 48-hour clock, and while the person is held after an arrest the days in
    custody against the 30 the law allows (CCL 47 para. 2, coordination.custody)."""
    referrals = [
        referral
        for referral in with_arrest_clock(
            referral_list(
                user=request.user, filters={"supervisee": supervisee.pk, "kind": "revocation_proposal"}
            )
        )
        if referral.arrest is not None
    ]
    if not referrals:
        return None
    return {
        "template": "coordination/_case_arrest.html",
        "referrals": referrals,
        "custody": arrest_custody(supervisee, today=office_today()),
    }


def documents_panel(request, supervisee, bound: dict | None):
    """The case's documents the reader may open (documents.selectors: need to know), newest first, with
    a correction form for those who may change the case. Nothing for a role that reads no documents."""
    if request.user.role not in RECEIVING_ROLES:
        return None
    bound = bound or {}
    return {
        "template": "documents/_case_documents.html",
        "supervisee": supervisee,
        "documents": list(document_list(user=request.user, supervisee=supervisee)),
        "can_correct": can_edit_case(request.user, supervisee),
        "form": bound.get("form"),
        "form_document": bound.get("document"),
    }


def team_panel(request, supervisee, bound: dict | None):
    """Who serves on the case's team and what the law still asks of it; the add form and the remove
    buttons for those who may change the case."""
    members = list(team_member_list(supervisee=supervisee))
    closed = supervisee.status in EXIT_STATUSES
    can_change = can_edit_case(request.user, supervisee) and not closed
    bound = bound or {}
    return {
        "template": "corrections/_team.html",
        "supervisee": supervisee,
        "members": members,
        # A closed case's team is history: what the law asks of a team no longer applies to it.
        "unmet": [] if closed else team_requirements(supervisee=supervisee, members=members),
        "can_change": can_change,
        # Phone numbers of family and committee members are for those who work the case.
        "show_phone": can_edit_case(request.user, supervisee),
        "form": (bound.get("form") or TeamMemberForm(supervisee=supervisee)) if can_change else None,
        "remove_error": bound.get("remove_error"),
    }


def activities_panel(request, supervisee, bound=None):
    """The education, help and service activities the person took part in (CCL 35-43), newest first;
    a link to record one for those who may. Nothing for a role that does not work the case."""
    may_record = RECORD_ACTIVITIES.allows(request.user) and (
        can_edit_case(request.user, supervisee) or request.user.role == Role.SOCIAL_WORKER
    )
    rows = case_participations(supervisee=supervisee, limit=ACTIVITIES_ON_PAGE)
    if not rows and not may_record:
        return None
    return {
        "template": "community/_case_activities.html",
        "supervisee": supervisee,
        "rows": rows,
        "may_record": may_record and supervisee.status == Status.UNDER_SUPERVISION,
    }


def needs_panel(request, supervisee, bound: dict | None):
    """The case's needs (employment, housing, counselling, schooling, social assistance), each matched to
    a provider that offers help for it and followed to an outcome; the forms for those who may change
    the case while it is open."""
    needs = case_needs(supervisee=supervisee)
    can_change = (
        FOLLOW_NEEDS.allows(request.user)
        and can_edit_case(request.user, supervisee)
        and supervisee.status not in EXIT_STATUSES
    )
    if not needs and not can_change:
        return None
    bound = bound or {}
    providers = list(provider_list(user=request.user, filters={"active": True})) if can_change else []
    rows = []
    for need in needs:
        row = {"need": need, "match_form": None, "close_form": None}
        if can_change and need.status in ("open", "matched"):
            offers = providers_for_need(providers, need.kind)
            match_pk, match_form = bound.get("match", (None, None))
            close_pk, close_form = bound.get("close", (None, None))
            if offers:
                row["match_form"] = (
                    match_form
                    if match_pk == need.pk
                    else NeedMatchForm(providers=offers, prefix=f"match-{need.pk}")
                )
            row["close_form"] = (
                close_form if close_pk == need.pk else NeedCloseForm(prefix=f"close-{need.pk}")
            )
        rows.append(row)
    return {
        "template": "community/_case_needs.html",
        "supervisee": supervisee,
        "rows": rows,
        # Prefixed: the quick log on the same page has its own `kind` and `note` (ids unique on the page).
        "form": (bound.get("form") or NeedForm(prefix="need")) if can_change else None,
    }


# Where each panel goes: "top" (full width, above), "actions" (the forms, side by side), "bottom" (full
# width, above the timeline); in this order within each.
PANELS = {
    "top": {"intake": intake_panel, "checkin": checkin_panel, "suggestions": suggestions_panel},
    "actions": {
        "leave": leave_panel,
        "permit": permit_panel,
        "measure": measure_panel,
        "violation": prohibition_panel,
        "referral": referral_panel,
        "procuratorial_notice": procuratorial_notice_panel,
    },
    "bottom": {
        "lifecycle": lifecycle_panel,
        "positioning": positioning_panel,
        "arrest": arrest_panel,
        "medical": medical_panel,
        "documents": documents_panel,
        "transfer": transfer_panel,
        "team": team_panel,
        "activities": activities_panel,
        "needs": needs_panel,
        "intake_record": intake_record_panel,
    },
}


def render_case_page(request, supervisee, *, bound: dict | None = None, status: int = 200):
    """The case page; `bound` maps a panel's name to its bound form (after a failed POST)."""
    bound = bound or {}
    today = office_today()
    supervisee.next_report_due = next_report_due(supervisee, on=today)
    slots = {
        slot: [
            panel for name, build in panels.items() if (panel := build(request, supervisee, bound.get(name)))
        ]
        for slot, panels in PANELS.items()
    }
    sentence = supervisee.sentence
    report_due = supervisee.next_report_due
    intake_due = (
        intake_deadline(
            category=sentence.category,
            effective_date=sentence.effective_date,
            release_date=sentence.release_date,
        )
        if supervisee.status == Status.PENDING_REPORT
        else None
    )

    return render(
        request,
        "workspace/supervisee_detail.html",
        {
            "supervisee": supervisee,
            "sentence": sentence,
            "timeline": timeline_for(supervisee, limit=TIMELINE_ON_PAGE, user=request.user),
            "top_panels": slots["top"],
            "action_panels": slots["actions"],
            "bottom_panels": slots["bottom"],
            "hide_sensitive": request.user.role in ROLES_WITHOUT_SENSITIVE_FIELDS,
            # In full, or masked for the police and the court unless a referral needs the person
            # identified (API.md "Need to know"); the one decision, corrections.scoping.
            "id_number": id_number_for(request.user, supervisee),
            "can_edit": can_edit_case(request.user, supervisee),
            # docs/roles.md: a social worker on the case's team records education and community service
            # (supervision.services.checkins.SOCIAL_WORKER_KINDS) and reads the rest: the page says so,
            # rather than "read-only" above a form that saves (issue 13).
            "records_activities_only": request.user.role == Role.SOCIAL_WORKER
            and any(panel["template"] == "supervision/_checkin_form.html" for panel in slots["top"]),
            "today": today,
            "next_report_due": report_due,
            "report_urgency": report_urgency(report_due, today=today),
            # Temporary execution: the next health report and re-examination due (supervision.medical).
            "medical_dues": medical_dues(supervisee, on=today),
            "intake_deadline": intake_due,
            "intake_urgency": report_urgency(intake_due, today=today),
            "commission": commission_context(request, supervisee, bound.get("commission"), today),
            "release_link": release_link(request, supervisee, today),
            # The monthly study and community-service hours against the rule (community.duties).
            "monthly_hours": case_hours(supervisee, day=today)
            if supervisee.status == Status.UNDER_SUPERVISION
            else [],
        },
        status=status,
    )


@login_required
def supervisee_detail(request, pk: int):
    supervisee = selectors.supervisee_get(user=request.user, pk=pk)
    services.supervisee_open(user=request.user, supervisee=supervisee, ip_address=client_ip(request))
    return render_case_page(request, supervisee)


# --- the forms' POSTs --------------------------------------------------------------------------------


def _case_url(supervisee, anchor: str) -> str:
    return reverse("supervisee-detail", args=[supervisee.pk]) + anchor


@login_required
@require_POST
@role_required(RECORD_CHECKINS)
def checkin_create(request, pk: int):
    supervisee = selectors.supervisee_get(user=request.user, pk=pk)
    form = CheckInForm(request.POST)
    checkin, status = run_service(
        form,
        lambda data: checkin_record(
            supervisee=supervisee,
            by=request.user,
            kind=data["kind"],
            at=data["occurred_at"],
            notes=data["notes"],
            hours=data["hours"],
        ),
    )
    if checkin is not None:
        messages.success(request, _("Recorded: %(kind)s.") % {"kind": checkin.get_kind_display()})
        return redirect(_case_url(supervisee, f"#checkin-{checkin.pk}"))
    return render_case_page(request, supervisee, bound={"checkin": form}, status=status)


@login_required
@require_POST
@role_required(RECORD_LEAVE)
def leave_create(request, pk: int):
    supervisee = selectors.supervisee_get(user=request.user, pk=pk)
    form = LeaveRequestForm(request.POST, reasons=_leave_reasons(supervisee))
    leave, status = run_service(
        form,
        lambda data: leave_request_create(
            supervisee=supervisee,
            by=request.user,
            destination=data["destination"],
            destination_code=data["destination_code"],
            reason_code=data["reason_code"],
            reason=data["reason"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            urgent=data["urgent"],
            urgent_reason=data["urgent_reason"],
        ),
    )
    if leave is not None and leave.permit_id:
        messages.success(
            request,
            _("Leave recorded and approved within standing cross-city permit no. %(id)s.")
            % {"id": leave.permit_id},
        )
        return redirect(_case_url(supervisee, f"#leave-{leave.pk}"))
    if leave is not None:
        text = ngettext(
            "Leave of %(days)d day requested. Approval level: %(level)s.",
            "Leave of %(days)d days requested. Approval level: %(level)s.",
            leave.days,
        ) % {"days": leave.days, "level": leave.get_approval_level_display()}
        if leave.notify_procuratorate:
            text += " " + _("When it is approved, a notice goes to the procuratorate.")
        messages.success(request, text)
        return redirect(_case_url(supervisee, f"#leave-{leave.pk}"))
    return render_case_page(request, supervisee, bound={"leave": form}, status=status)


@login_required
@require_POST
@role_required(PROPOSE_PERMIT)
def permit_create(request, pk: int):
    supervisee = selectors.supervisee_get(user=request.user, pk=pk)
    form = LeavePermitForm(request.POST, reasons=_leave_reasons(supervisee))
    permit, status = run_service(
        form,
        lambda data: leave_permit_propose(
            supervisee=supervisee,
            by=request.user,
            reason_code=data["reason_code"],
            details=data["details"],
            places=data["places"],
            start_date=data["start_date"],
            end_date=data["end_date"],
        ),
    )
    if permit is not None:
        messages.success(
            request, _("Standing cross-city permit proposed: a bureau supervisor other than you decides it.")
        )
        return redirect(_case_url(supervisee, "#leave-permits"))
    return render_case_page(request, supervisee, bound={"permit": form}, status=status)


@login_required
@require_POST
@role_required(PROPOSE_MEASURES)
def measure_create(request, pk: int):
    supervisee = selectors.supervisee_get(user=request.user, pk=pk)
    form = MeasureProposalForm(request.POST)
    measure, status = run_service(
        form,
        lambda data: measure_propose(
            supervisee=supervisee,
            by=request.user,
            kind=data["kind"],
            reason=data["reason"],
            occurred_on=data["occurred_on"],
            evidence=data["evidence"],
        ),
    )
    if measure is not None:
        messages.success(
            request,
            _("%(kind)s proposed: a bureau supervisor decides it.") % {"kind": measure.get_kind_display()},
        )
        return redirect(_case_url(supervisee, f"#measure-{measure.pk}"))
    return render_case_page(request, supervisee, bound={"measure": form}, status=status)


@login_required
@require_POST
@role_required(RECORD_VIOLATIONS)
def violation_create(request, pk: int):
    supervisee = selectors.supervisee_get(user=request.user, pk=pk)
    prohibitions = list(supervisee.sentence.prohibition_orders.all())
    form = ProhibitionViolationForm(request.POST, prohibitions=prohibitions)
    by_pk = {str(p.pk): p for p in prohibitions}
    violation, status = run_service(
        form,
        lambda data: prohibition_violation_record(
            prohibition=by_pk[data["prohibition"]],
            by=request.user,
            occurred_on=data["occurred_on"],
            description=data["description"],
            measure_kind=data["measure_kind"],
            evidence=data["evidence"],
        ),
    )
    if violation is not None:
        text = _("Violation of “%(content)s” recorded.") % {"content": violation.prohibition.content}
        if violation.measure_id:
            text += " " + _("%(kind)s proposed: a bureau supervisor decides it.") % {
                "kind": violation.measure.get_kind_display()
            }
        messages.success(request, text)
        return redirect(_case_url(supervisee, f"#recorded-violation-{violation.pk}"))
    return render_case_page(request, supervisee, bound={"violation": form}, status=status)


@login_required
@require_POST
@role_required(RECORD_MEDICAL_REPORTS)
def medical_report_create(request, pk: int):
    supervisee = selectors.supervisee_get(user=request.user, pk=pk)
    form = MedicalReportForm(request.POST, request.FILES)
    report, status = run_service(
        form,
        lambda data: medical_report_record(
            supervisee=supervisee,
            by=request.user,
            kind=data["kind"],
            date=data["date"],
            conclusion=data["conclusion"],
            hospital=data["hospital"],
            notes=data["notes"],
            uploaded_file=data["file"],
        ),
    )
    if report is not None:
        messages.success(request, _("Recorded: %(kind)s.") % {"kind": report.get_kind_display()})
        return redirect(_case_url(supervisee, f"#medical-report-{report.pk}"))
    return render_case_page(request, supervisee, bound={"medical": form}, status=status)


@login_required
@require_POST
@role_required(PROPOSE_POSITIONING)
def positioning_propose_view(request, pk: int):
    supervisee = selectors.supervisee_get(user=request.user, pk=pk)
    violations = prohibition_violation_list(user=request.user, filters={"supervisee": supervisee.pk})
    form = PositioningProposalForm(request.POST, violations=violations)
    order, status = run_service(
        form,
        lambda data: positioning_order_propose(
            supervisee=supervisee,
            by=request.user,
            ground=data["ground"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            reason=data["reason"],
            violation=(
                prohibition_violation_get(user=request.user, pk=data["violation"])
                if data["violation"]
                else None
            ),
        ),
    )
    if order is not None:
        messages.success(request, _("Electronic positioning proposed: a bureau supervisor decides it."))
        return redirect(_case_url(supervisee, f"#positioning-order-{order.pk}"))
    return render_case_page(request, supervisee, bound={"positioning": {"form": form}}, status=status)


def _case_order(request, pk: int, order_pk: int):
    supervisee = selectors.supervisee_get(user=request.user, pk=pk)
    order = positioning_order_get(user=request.user, pk=order_pk)
    if order.supervisee_id != supervisee.pk:
        raise Http404
    return supervisee, order


@login_required
@require_POST
@role_required(PROPOSE_POSITIONING)
def positioning_extend_view(request, pk: int, order_pk: int):
    supervisee, order = _case_order(request, pk, order_pk)
    form = PositioningExtensionForm(request.POST, prefix=f"extend-{order.pk}")
    extension, status = run_service(
        form,
        lambda data: positioning_order_propose(
            supervisee=supervisee,
            by=request.user,
            end_date=data["end_date"],
            reason=data["reason"],
            extends=order,
        ),
    )
    if extension is not None:
        messages.success(request, _("Extension proposed: a bureau supervisor decides it."))
        return redirect(_case_url(supervisee, f"#positioning-order-{extension.pk}"))
    return render_case_page(
        request, supervisee, bound={"positioning": {"extend": (order.pk, form)}}, status=status
    )


@login_required
@require_POST
@role_required(END_POSITIONING)
def positioning_end_view(request, pk: int, order_pk: int):
    supervisee, order = _case_order(request, pk, order_pk)
    form = PositioningEndForm(request.POST, prefix=f"end-{order.pk}")
    ended, status = run_service(
        form, lambda data: positioning_order_end(order=order, by=request.user, reason=data["reason"])
    )
    if ended is not None:
        messages.success(
            request,
            _("Electronic positioning ended on %(date)s.") % {"date": ended.ended_on.isoformat()},
        )
        return redirect(_case_url(supervisee, f"#positioning-order-{ended.pk}"))
    return render_case_page(
        request, supervisee, bound={"positioning": {"end": (order.pk, form)}}, status=status
    )


@login_required
@require_POST
@role_required(CREATE_REFERRALS)
def referral_draft_create(request, pk: int):
    supervisee = selectors.supervisee_get(user=request.user, pk=pk)
    form = ReferralDraftForm(request.POST, user=request.user, supervisee=supervisee)
    referral, status = run_service(
        form,
        lambda data: referral_create(
            supervisee=supervisee,
            by=request.user,
            to_agency=data["to_agency"],
            kind=data["kind"],
            summary=data["summary"],
        ),
    )
    if referral is not None:
        messages.success(request, _("The draft was saved. Check it, attach documents, then send it."))
        return redirect(reverse("referral-detail", args=[referral.pk]))
    return render_case_page(request, supervisee, bound={"referral": form}, status=status)


@login_required
@require_POST
@role_required(ISSUE_PROCURATORIAL_NOTICES)
def procuratorial_notice_create(request, pk: int):
    supervisee = selectors.supervisee_get(user=request.user, pk=pk)
    form = ProcuratorialNoticeForm(request.POST, supervisee=supervisee)
    referral, status = run_service(
        form,
        lambda data: procuratorial_notice_issue(
            supervisee=supervisee, by=request.user, to_agency=data["to_agency"], summary=data["summary"]
        ),
    )
    if referral is not None:
        messages.success(
            request,
            _("The procuratorial notice was sent to %(agency)s; its answer is due on %(date)s.")
            % {
                "agency": referral.to_agency.name,
                "date": referral.due_date.isoformat() if referral.due_date else "—",
            },
        )
        return redirect(reverse("referral-detail", args=[referral.pk]))
    return render_case_page(request, supervisee, bound={"procuratorial_notice": form}, status=status)


@login_required
@require_POST
@role_required(CHANGE_TEAMS)
def team_member_add_view(request, pk: int):
    supervisee = selectors.supervisee_get(user=request.user, pk=pk)
    form = TeamMemberForm(request.POST, supervisee=supervisee)
    member, status = run_service(
        form,
        lambda data: team_member_add(
            supervisee=supervisee,
            by=request.user,
            name=data["name"],
            role=data["role"],
            user=data["user"],
            gender=data["gender"],
            phone=data["phone"],
            versed_in_minors=data["versed_in_minors"],
            joined_on=data["joined_on"],
        ),
    )
    if member is not None:
        messages.success(
            request,
            _("%(name)s joined the correction team as %(role)s.")
            % {"name": member.name, "role": member.get_role_display()},
        )
        return redirect(_case_url(supervisee, "#team"))
    return render_case_page(request, supervisee, bound={"team": {"form": form}}, status=status)


@login_required
@require_POST
@role_required(CORRECT_DOCUMENTS)
def document_correct_view(request, pk: int, document_pk: int):
    supervisee = selectors.supervisee_get(user=request.user, pk=pk)
    document = document_get(user=request.user, pk=document_pk)
    if document.supervisee_id != supervisee.pk:
        raise Http404
    form = DocumentCorrectionForm(request.POST)
    corrected, status = run_service(
        form, lambda data: document_correct(document=document, by=request.user, reason=data["reason"])
    )
    if corrected is not None:
        messages.success(
            request,
            _("%(title)s %(number)s corrects %(old)s.")
            % {"title": corrected.title, "number": corrected.number, "old": document.number},
        )
        return redirect(_case_url(supervisee, f"#document-{corrected.pk}"))
    return render_case_page(
        request, supervisee, bound={"documents": {"form": form, "document": document.pk}}, status=status
    )


@login_required
@require_POST
@role_required(CHANGE_TEAMS)
def team_member_remove_view(request, pk: int, member_pk: int):
    supervisee = selectors.supervisee_get(user=request.user, pk=pk)
    member = team_member_get(supervisee=supervisee, pk=member_pk)
    try:
        member = team_member_remove(member=member, by=request.user)
    except ValidationError as error:
        return render_case_page(
            request, supervisee, bound={"team": {"remove_error": error.messages}}, status=400
        )
    except StateConflict as error:
        return render_case_page(
            request, supervisee, bound={"team": {"remove_error": [error.message]}}, status=409
        )
    messages.success(request, _("%(name)s left the correction team.") % {"name": member.name})
    return redirect(_case_url(supervisee, "#team"))


@login_required
@require_POST
@role_required(FOLLOW_NEEDS)
def need_record_view(request, pk: int):
    supervisee = selectors.supervisee_get(user=request.user, pk=pk)
    form = NeedForm(request.POST, prefix="need")
    need, status = run_service(
        form,
        lambda data: need_record(
            supervisee=supervisee, by=request.user, kind=data["kind"], note=data["note"]
        ),
    )
    if need is not None:
        messages.success(request, _("Need recorded: %(kind)s.") % {"kind": need.get_kind_display()})
        return redirect(_case_url(supervisee, "#needs"))
    return render_case_page(request, supervisee, bound={"needs": {"form": form}}, status=status)


@login_required
@require_POST
@role_required(FOLLOW_NEEDS)
def need_match_view(request, pk: int, need_pk: int):
    supervisee = selectors.supervisee_get(user=request.user, pk=pk)
    need = need_get(supervisee=supervisee, pk=need_pk)
    offers = providers_for_need(provider_list(user=request.user, filters={"active": True}), need.kind)
    form = NeedMatchForm(request.POST, providers=offers, prefix=f"match-{need.pk}")
    matched, status = run_service(
        form,
        lambda data: need_match(
            need=need, by=request.user, provider=provider_get(user=request.user, pk=data["provider"])
        ),
    )
    if matched is not None:
        messages.success(
            request,
            _("%(kind)s matched to %(provider)s.")
            % {"kind": matched.get_kind_display(), "provider": matched.provider.name},
        )
        return redirect(_case_url(supervisee, "#needs"))
    return render_case_page(request, supervisee, bound={"needs": {"match": (need.pk, form)}}, status=status)


@login_required
@require_POST
@role_required(FOLLOW_NEEDS)
def need_close_view(request, pk: int, need_pk: int):
    supervisee = selectors.supervisee_get(user=request.user, pk=pk)
    need = need_get(supervisee=supervisee, pk=need_pk)
    form = NeedCloseForm(request.POST, prefix=f"close-{need.pk}")
    closed, status = run_service(
        form, lambda data: need_close(need=need, by=request.user, met=data["met"], outcome=data["outcome"])
    )
    if closed is not None:
        messages.success(
            request,
            _("%(kind)s: %(status)s.")
            % {"kind": closed.get_kind_display(), "status": closed.get_status_display()},
        )
        return redirect(_case_url(supervisee, "#needs"))
    return render_case_page(request, supervisee, bound={"needs": {"close": (need.pk, form)}}, status=status)
