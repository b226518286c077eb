"""Transfers of the place of execution in the browser (CCL 27 para. 2; the rule is corrections.transfers):
the case page's panel (propose, withdraw, the transfers so far) and `/transfers/`, where the receiving
district's supervisors accept or refuse and every justice user follows their office's or district's
transfers. Views translate: parse, call one selector or service, render; a refusal re-renders the page with
what was typed and the message by its field (400, or 409 for a state that forbids it)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.constants import AgencyKind, Role
from accounts.models import Agency
from accounts.permissions import role_required
from config.forms import run_service
from config.office_time import office_today
from corrections import law, selectors
from corrections.constants import TRANSFERABLE_STATUSES, TransferStatus
from corrections.forms import TransferAcceptForm, TransferProposalForm, TransferRefusalForm
from corrections.scoping import EDITING_ROLES, can_edit_case
from corrections.transfers import (
    DECIDE_TRANSFERS,
    PROPOSE_TRANSFERS,
    answered_late,
    check_may_answer,
    is_overdue,
    receiving_offices,
    transfer_accept,
    transfer_get,
    transfer_list,
    transfer_propose,
    transfer_refuse,
    transfer_withdraw,
)

TRANSFERS_ON_PAGE = 50


def _rows(transfers, today):
    for transfer in transfers:
        transfer.overdue = is_overdue(transfer, today=today)
        transfer.late = answered_late(transfer)
    return transfers


def transfer_panel(request, supervisee, bound: TransferProposalForm | None):
    """The case's transfers, and for the sending side the proposal form (a case under supervision with no
    transfer awaiting an answer) or the withdraw button. Nothing for roles outside the justice system."""
    if request.user.role not in EDITING_ROLES:
        return None
    transfers = _rows(
        list(transfer_list(user=request.user, supervisee_id=supervisee.pk)[:10]), office_today()
    )
    can_change = can_edit_case(request.user, supervisee)
    pending = next((t for t in transfers if t.status == TransferStatus.PROPOSED), None)
    may_propose = can_change and pending is None and supervisee.status in TRANSFERABLE_STATUSES
    if not transfers and not may_propose:
        return None
    return {
        "template": "workspace/_transfer.html",
        "supervisee": supervisee,
        "transfers": transfers,
        "pending": pending,
        "may_withdraw": can_change and pending is not None,
        "form": (bound or TransferProposalForm(offices=receiving_offices(supervisee=supervisee)))
        if may_propose
        else None,
        "basis": law.TRANSFER_OF_PLACE,
    }


@login_required
@require_POST
@role_required(PROPOSE_TRANSFERS)
def transfer_propose_view(request, pk: int):
    from .case_page import render_case_page

    supervisee = selectors.supervisee_get(user=request.user, pk=pk)
    form = TransferProposalForm(request.POST, offices=receiving_offices(supervisee=supervisee))
    transfer, status = run_service(
        form,
        lambda data: transfer_propose(
            supervisee=supervisee,
            by=request.user,
            to_office=data["to_office"],
            reason=data["reason"],
            new_residence=data["new_residence"],
        ),
    )
    if transfer is not None:
        messages.success(
            request,
            _("Transfer proposed to %(office)s: its bureau answers by %(date)s.")
            % {"office": transfer.to_office.name, "date": transfer.reply_due.isoformat()},
        )
        return redirect(reverse("supervisee-detail", args=[supervisee.pk]) + "#place-transfer")
    return render_case_page(request, supervisee, bound={"transfer": form}, status=status)


@login_required
@require_POST
@role_required(PROPOSE_TRANSFERS)
def transfer_withdraw_view(request, pk: int):
    transfer = transfer_withdraw(transfer=transfer_get(user=request.user, pk=pk), by=request.user)
    messages.success(request, _("The transfer proposal was withdrawn."))
    return redirect(reverse("supervisee-detail", args=[transfer.supervisee_id]) + "#place-transfer")


# --- /transfers/ -------------------------------------------------------------------------------------


def _district_offices(user):
    return (
        Agency.objects.filter(kind=AgencyKind.JUSTICE_OFFICE, district_id=user.district_id)
        .select_related("district")
        .order_by("name", "id")
    )


def _render_transfers(request, *, failed: tuple[int, str, object] | None = None, status: int = 200):
    user = request.user
    if user.role not in EDITING_ROLES and user.role != Role.PROCURATORATE:
        raise PermissionDenied(_("Your role does not follow transfers."))
    today = office_today()
    inbox = _rows(list(transfer_list(user=user, box="inbox")[:TRANSFERS_ON_PAGE]), today)
    outbox = _rows(list(transfer_list(user=user, box="outbox")[:TRANSFERS_ON_PAGE]), today)
    deciding = DECIDE_TRANSFERS.allows(user)
    offices = _district_offices(user) if deciding else None
    failed_pk, failed_kind, failed_form = failed or (None, None, None)
    for transfer in inbox:
        transfer.may_decide = (
            deciding and transfer.status == TransferStatus.PROPOSED and transfer.proposed_by_id != user.pk
        )
        if transfer.may_decide:
            transfer.accept_form = (
                failed_form
                if (failed_pk, failed_kind) == (transfer.pk, "accept")
                else TransferAcceptForm(
                    offices=offices, initial_office=transfer.to_office, prefix=f"accept-{transfer.pk}"
                )
            )
            transfer.refuse_form = (
                failed_form
                if (failed_pk, failed_kind) == (transfer.pk, "refuse")
                else TransferRefusalForm(prefix=f"refuse-{transfer.pk}")
            )
    return render(
        request,
        "workspace/transfers.html",
        {"inbox": inbox, "outbox": outbox, "deciding": deciding, "basis": law.TRANSFER_OF_PLACE},
        status=status,
    )


@login_required
def transfers(request):
    return _render_transfers(request)


@login_required
@require_POST
@role_required(DECIDE_TRANSFERS)
def transfer_accept_view(request, pk: int):
    transfer = transfer_get(user=request.user, pk=pk)
    check_may_answer(transfer, request.user)
    form = TransferAcceptForm(request.POST, offices=_district_offices(request.user), prefix=f"accept-{pk}")
    done, status = run_service(
        form, lambda data: transfer_accept(transfer=transfer, by=request.user, to_office=data["to_office"])
    )
    if done is None:
        return _render_transfers(request, failed=(pk, "accept", form), status=status)
    messages.success(
        request,
        _("Transfer accepted: %(name)s belongs to %(office)s from %(date)s.")
        % {
            "name": done.supervisee.name,
            "office": done.to_office.name,
            "date": done.transfer_date.isoformat(),
        },
    )
    return redirect(reverse("transfers"))


@login_required
@require_POST
@role_required(DECIDE_TRANSFERS)
def transfer_refuse_view(request, pk: int):
    transfer = transfer_get(user=request.user, pk=pk)
    check_may_answer(transfer, request.user)
    form = TransferRefusalForm(request.POST, prefix=f"refuse-{pk}")
    done, status = run_service(
        form, lambda data: transfer_refuse(transfer=transfer, by=request.user, reason=data["reason"])
    )
    if done is None:
        return _render_transfers(request, failed=(pk, "refuse", form), status=status)
    messages.success(
        request, _("Transfer refused: the case stays with %(office)s.") % {"office": done.from_office.name}
    )
    return redirect(reverse("transfers"))
