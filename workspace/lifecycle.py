"""The case's lifecycle on the case page: every move the reader may make from the current status, each
its own small form posted to `/supervisees/{id}/transition/` with the API's names (`to`, `date`,
`reason`, and `ground` or the intake's checklist), calling the one service
(corrections.services.supervisee_transition, or supervisee_intake for an intake with its checklist).

- Which moves: those corrections.constants.ALLOWED_TRANSITIONS allows from the current status, the
  exits that fit the case's category (corrections.services.exit_reasons_for), for officers of the
  case's office and supervisors (corrections.scoping.can_edit_case). Nobody else gets a form; a POST
  from them is 403 (out of scope: 404).
- A refusal re-renders the page with what was typed: by its field (400), or above the form (409, e.g.
  release while in custody or while a proposal is pending, naming the cause).
- Every exit closes the case read-only, so it asks first: the form's first submit is checked by the
  service without writing (supervisee_transition_check) and re-renders as a confirmation saying what
  will happen, with a Confirm button carrying the values as hidden fields (no script needed).

Also here: the commission's arrival dates (CCL 20), a small form beside the clocks, saved through
supervisee_update; and the intake record shown after intake.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from config.api import StateConflict
from config.forms import run_service
from config.office_time import office_today
from corrections import law, selectors, services
from corrections.commission import commission_clocks
from corrections.constants import (
    ALLOWED_TRANSITIONS,
    EXIT_STATUSES,
    RELEASE_REASONS,
    REVOCATION_REASONS,
    ExitReason,
    Status,
)
from corrections.forms import CommissionForm, CustodyForm, ExitReasonForm, IntakeForm, TransitionForm
from corrections.intake import INTAKE_CHECKLIST
from corrections.models import IntakeRecord
from corrections.scoping import CHANGE_CASES, can_edit_case
from documents.messages import written_message
from supervision.sweep import TERM_ENDING_DAYS

# --- the moves ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """One form of the lifecycle panel: `code` is its anchor on the page and its fields' id prefix."""

    code: str
    to: str
    title: Promise
    date_label: Promise
    form_class: type[TransitionForm] = TransitionForm
    # For `terminated`: which exit reasons this form gives (release, or termination on revocation).
    reasons: frozenset[str] = frozenset()

    @property
    def is_exit(self) -> bool:
        return self.to in EXIT_STATUSES


INTAKE = Move(
    "intake",
    Status.UNDER_SUPERVISION,
    # CCL 21: probation, parole and control report; temporary execution is handed over by the custodian.
    gettext_lazy("Intake: the person reported or was handed over"),
    gettext_lazy("Day the person reported (or was handed over) and was registered"),
    IntakeForm,
)
MOVES = (
    Move(
        "return",
        Status.UNDER_SUPERVISION,
        gettext_lazy("Return to supervision"),
        gettext_lazy("Day of the return"),
    ),
    Move(
        "absconding",
        Status.ABSCONDED,
        gettext_lazy("Record absconding (lost contact)"),
        gettext_lazy("Day contact was lost"),
    ),
    Move(
        "custody",
        Status.IN_CUSTODY,
        gettext_lazy("Record custody"),
        gettext_lazy("Day custody began"),
        CustodyForm,
    ),
    Move(
        "release",
        Status.TERMINATED,
        gettext_lazy("Release from correction"),
        gettext_lazy("Day of release"),
        ExitReasonForm,
        RELEASE_REASONS,
    ),
    Move(
        "revocation",
        Status.TERMINATED,
        gettext_lazy("Termination on revocation"),
        gettext_lazy("Day the court's ruling took effect"),
        ExitReasonForm,
        REVOCATION_REASONS,
    ),
    Move(
        "recommitment",
        Status.RECOMMITTED,
        gettext_lazy("Recommitment to prison"),
        gettext_lazy("Day of recommitment"),
    ),
    Move("death", Status.DECEASED, pgettext_lazy("case lifecycle", "Death"), gettext_lazy("Day of death")),
    Move(
        "transfer",
        Status.TRANSFERRED_OUT,
        # Only for a place of execution that is not on this system: the case closes here. A transfer to
        # another district on the system is proposed and answered instead (corrections.transfers), and
        # the same case file moves.
        gettext_lazy("Transfer to a place not on this system"),
        gettext_lazy("Day of the transfer"),
    ),
)
MOVES_BY_CODE = {move.code: move for move in (INTAKE, *MOVES)}


def _reasons(move: Move, supervisee) -> tuple[str, ...]:
    """The exit reasons this form offers on this case, in the order of ExitReason."""
    fitting = set(services.exit_reasons_for(to=move.to, category=supervisee.sentence.category))
    return tuple(code for code in ExitReason.values if code in fitting and code in move.reasons)


def moves_for(supervisee) -> list[Move]:
    """The moves the lifecycle allows from the case's status, that fit its category: the intake in place
    of the return for a case that never had one."""
    allowed = ALLOWED_TRANSITIONS[supervisee.status]
    found = []
    for move in MOVES:
        if move.to not in allowed:
            continue
        if move.to == Status.UNDER_SUPERVISION and services.is_intake(supervisee, move.to):
            continue  # the intake has its own panel
        if move.is_exit and not services.exit_reasons_for(to=move.to, category=supervisee.sentence.category):
            continue  # e.g. recommitment of probation: revoked instead
        if move.reasons and not _reasons(move, supervisee):
            continue  # e.g. control is never revoked
        found.append(move)
    return found


def intake_open(supervisee) -> bool:
    """The case awaits its intake, and the lifecycle allows it from the current status."""
    return Status.UNDER_SUPERVISION in ALLOWED_TRANSITIONS[supervisee.status] and services.is_intake(
        supervisee, Status.UNDER_SUPERVISION
    )


def _form(move: Move, supervisee, data=None) -> TransitionForm:
    kwargs = {"code": move.code, "to": move.to, "date_label": move.date_label}
    if move.reasons:
        kwargs["reasons"] = _reasons(move, supervisee)
    return move.form_class(data, **kwargs)


def posted_move(supervisee, data) -> Move | None:
    """Which of the case's forms a POST comes from, by its `to` (and `reason` for `terminated`): the same
    fields the API takes, so a script posting them works too."""
    to = data.get("to")
    if to == Status.UNDER_SUPERVISION and intake_open(supervisee):
        return INTAKE
    candidates = [move for move in moves_for(supervisee) if move.to == to]
    if to == Status.TERMINATED:
        revocation = [move for move in candidates if data.get("reason") in move.reasons]
        release = [move for move in candidates if move.code == "release"]
        candidates = revocation or release or candidates
    return candidates[0] if candidates else None


# --- what the confirmation says ----------------------------------------------------------------------


def consequence(move: Move, supervisee, data: dict) -> str:
    """What an exit does, in words, for the confirmation step."""
    date = data["date"].isoformat()
    reason = ExitReason(data["reason"]).label if data.get("reason") in ExitReason.values else ""
    if move.code == "release":
        text = _("%(name)s is released from community correction on %(date)s: %(reason)s (%(ref)s).")
        ref = law.RELEASE
    elif move.code == "revocation":
        text = _("Community correction ends on %(date)s: %(reason)s (%(ref)s).")
        ref = law.TERMINATION
    elif move.code == "recommitment":
        text = _("Community correction ends on %(date)s: %(name)s is recommitted to prison (%(ref)s).")
        ref = law.TERMINATION
    elif move.code == "death":
        text = _("Community correction ends on %(date)s with the death of %(name)s (%(ref)s).")
        ref = law.TERMINATION  # CCL 45: correction terminates on death (CCL 51: who is told)
    else:
        text = _(
            "The case closes here on %(date)s: the new place of execution, which is not on this system, "
            "continues it (%(ref)s). For a district on this system, propose a transfer instead."
        )
        ref = law.TRANSFER_OF_PLACE
    return text % {"name": supervisee.name, "date": date, "reason": reason, "ref": ref}


# --- the panels --------------------------------------------------------------------------------------


def _release_extras(supervisee, today: dt.date) -> dict:
    """Before anyone tries: what blocks release now, and the earliest day of release as expired (the day
    after the period's last day, CCL 44)."""
    end = supervisee.sentence.end_date
    return {
        "blocks": services.release_blocks(supervisee),
        "earliest": end + dt.timedelta(days=1) if end else None,
        # Open when the period ends within the term_ending alert's window (or has ended): the alert and
        # the case header link here.
        "ending": end is not None and (end - today).days <= TERM_ENDING_DAYS,
    }


def release_link(request, supervisee, today: dt.date) -> bool:
    """Once the period has ended, the case header links to the release form, for those who have it."""
    end = supervisee.sentence.end_date
    return (
        end is not None
        and end < today
        and can_edit_case(request.user, supervisee)
        and any(move.code == "release" for move in moves_for(supervisee))
    )


def lifecycle_panel(request, supervisee, bound: dict | None):
    """Every move the reader may make, each its own form; an exit's confirmation in place of its form."""
    if not can_edit_case(request.user, supervisee):
        return None
    moves = moves_for(supervisee)
    bound = bound or {}
    if not moves and not bound.get("error"):
        return None
    today = office_today()
    items = []
    for move in moves:
        mine = bound.get("move") == move.code
        item = {
            "move": move,
            "form": bound["form"] if mine else _form(move, supervisee),
            "confirming": mine and bound.get("confirming", False),
            "open": mine,
        }
        if item["confirming"]:
            item["consequence"] = consequence(move, supervisee, item["form"].cleaned_data)
            item["hidden"] = item["form"].confirmation_values()
        if move.code == "release":
            item.update(_release_extras(supervisee, today))
            item["open"] = item["open"] or item["ending"]
        items.append(item)
    return {
        "template": "workspace/_lifecycle.html",
        "supervisee": supervisee,
        "moves": items,
        "error": bound.get("error"),
        "release_ref": str(law.RELEASE),
    }


def intake_panel(request, supervisee, bound: dict | None):
    """The intake form of a case that awaits its intake: the day and the checklist (CCL 21, 22)."""
    if not can_edit_case(request.user, supervisee) or not intake_open(supervisee):
        return None
    bound = bound or {}
    return {
        "template": "workspace/_intake_form.html",
        "supervisee": supervisee,
        "move": INTAKE,
        "form": bound.get("form") or _form(INTAKE, supervisee),
    }


def intake_record_panel(request, supervisee, bound=None):
    """The intake's checklist as recorded, for everyone who reads the case; nothing before intake, nor
    for an intake recorded without a checklist (API v1)."""
    if supervisee.intake_date is None:
        return None
    record = IntakeRecord.objects.select_related("recorded_by").filter(supervisee=supervisee).first()
    if record is None:
        return None
    return {
        "template": "workspace/_intake_record.html",
        "record": record,
        "items": [(item, getattr(record, item.code)) for item in INTAKE_CHECKLIST],
    }


def commission_context(request, supervisee, bound: CommissionForm | None, today: dt.date) -> dict:
    """The two clocks of CCL 20 for every reader; the form recording the arrivals for those who may
    change the case while it is open."""
    sentence = supervisee.sentence
    notice, documents = commission_clocks(
        effective_date=sentence.effective_date,
        notice_received_date=sentence.notice_received_date,
        documents_received_date=sentence.documents_received_date,
        today=today,
    )
    can_change = can_edit_case(request.user, supervisee) and supervisee.status not in EXIT_STATUSES
    return {
        "notice": notice,
        "documents": documents,
        "ref": str(law.DECIDER_NOTIFIES_AND_DELIVERS),
        "form": (bound or CommissionForm(sentence=sentence)) if can_change else None,
    }


# --- the POSTs ---------------------------------------------------------------------------------------


def _keyed_as_form(call: Callable[[dict], object]) -> Callable[[dict], object]:
    """The service keys a nested field as `checklist.announced` or `sentence.notice_received_date`; the
    page's fields are `checklist_announced` and `sentence_notice_received_date`."""

    def run(data):
        try:
            return call(data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                raise ValidationError(
                    {field.replace(".", "_"): errors for field, errors in error.error_dict.items()}
                ) from error
            raise

    return run


def _page(request, supervisee, bound: dict, status: int):
    from .case_page import render_case_page  # the page imports this module's panels

    return render_case_page(request, supervisee, bound=bound, status=status)


def _refuse_unknown_move(request, supervisee):
    """A `to` the page has no form for: the service says why (409 outside the lifecycle, 400 for an
    unknown status or an exit the category does not allow), above the lifecycle panel."""
    try:
        services.supervisee_transition_check(
            supervisee=supervisee,
            by=request.user,
            to=request.POST.get("to", ""),
            on=office_today(),
            reason=request.POST.get("reason", ""),
        )
    except StateConflict as error:
        return _page(request, supervisee, {"lifecycle": {"error": [error.message]}}, 409)
    except ValidationError as error:
        return _page(request, supervisee, {"lifecycle": {"error": error.messages}}, 400)
    return _page(request, supervisee, {"lifecycle": {"error": [_("Choose one of the forms below.")]}}, 400)


@login_required
@require_POST
@role_required(CHANGE_CASES)
def transition_create(request, pk: int):
    supervisee = selectors.supervisee_get(user=request.user, pk=pk)
    # Who may not act learns that first (403), before anything they sent is read.
    services.check_may_change_case(by=request.user, supervisee=supervisee)
    move = posted_move(supervisee, request.POST)
    if move is None:
        return _refuse_unknown_move(request, supervisee)
    form = _form(move, supervisee, request.POST)
    panel = "intake" if move is INTAKE else "lifecycle"

    def arguments(data: dict) -> dict:
        return {
            "supervisee": supervisee,
            "by": request.user,
            "to": move.to,
            "on": data["date"],
            "reason": data.get("reason") or "",
            "ground": data.get("ground") or "",
        }

    if move.is_exit and request.POST.get("confirm") != "yes":
        # The first submit of an exit: checked, nothing written; the page asks to confirm.
        _nothing, status = run_service(
            form, lambda data: services.supervisee_transition_check(**arguments(data))
        )
        return _page(
            request,
            supervisee,
            {panel: {"move": move.code, "form": form, "confirming": status == 200}},
            status,
        )
    if move is INTAKE:

        def call(data):
            return services.supervisee_intake(
                supervisee=supervisee,
                by=request.user,
                on=data["date"],
                checklist=form.checklist,
                note=data.get("reason") or "",
            )

    else:

        def call(data):
            return services.supervisee_transition(**arguments(data))

    done, status = run_service(form, _keyed_as_form(call))
    if done is None:
        return _page(request, supervisee, {panel: {"move": move.code, "form": form}}, status)
    change = done.status_changes.order_by("-id").first()
    messages.success(
        request,
        _("Recorded: %(from)s → %(to)s on %(date)s.")
        % {
            "from": Status(change.from_status).label,
            "to": Status(change.to_status).label,
            "date": change.date.isoformat(),
        },
    )
    # What the move wrote: the intake announcement, the release certificate, the notices (API.md v1.1).
    written = written_message(change)
    if written:
        messages.info(request, written)
    return redirect(reverse("supervisee-detail", args=[supervisee.pk]) + f"#status_change-{change.pk}")


@login_required
@require_POST
@role_required(CHANGE_CASES)
def commission_update(request, pk: int):
    """The days the notice and the documents arrived (CCL 20), through the case's one update service."""
    supervisee = selectors.supervisee_get(user=request.user, pk=pk)
    services.check_may_change_case(by=request.user, supervisee=supervisee)
    form = CommissionForm(request.POST)
    done, status = run_service(
        form,
        _keyed_as_form(
            lambda data: services.supervisee_update(
                supervisee=supervisee,
                by=request.user,
                fields={},
                sentence={
                    "notice_received_date": data["sentence_notice_received_date"],
                    "documents_received_date": data["sentence_documents_received_date"],
                },
            )
        ),
    )
    if done is None:
        return _page(request, supervisee, {"commission": form}, status)
    messages.success(request, _("The arrival dates of the notice and the documents were saved."))
    return redirect(reverse("supervisee-detail", args=[supervisee.pk]) + "#commission")
