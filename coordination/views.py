"""Pages of coordination between agencies: the referral inbox and outbox, one referral with its thread
and the actions the caller's side may take, and the oversight page (the dashboard's referral panel and
the case page's referral form are the workspace's). Views translate:
parse, call one selector or service, render. A refusal re-renders the page with what was typed and the
message by its field (400, or 409 for a state that forbids it). A role that may never take the action
gets 403 before anything else (`role_required`, docs/roles.md principle 2); then a referral out of scope is
404 from the selector, and a visible one the role may not act on is 403 from the service."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from config import params
from config.forms import run_service
from config.office_time import office_today
from documents.messages import written_message

from .api_oversight import OVERSIGHT_ROLES
from .constants import OPEN_REFERRAL_STATUSES, REFERRAL_TRANSITIONS, ReferralKind, ReferralStatus
from .forms import AttachmentForm
from .models import Referral
from .oversight import EXCEPTION_CODES, oversight_exception_list
from .selectors import BOXES, referral_get, referral_list
from .services import (
    ANSWER_REFERRALS,
    ATTACH_DOCUMENTS,
    FINAL_STATUSES,
    SEND_REFERRALS,
    WRITE_IN_THREADS,
    attachment_max_bytes,
    is_party,
    is_receiver,
    is_sender,
    referral_accept,
    referral_attach,
    referral_complete,
    referral_reject,
    referral_respond,
    referral_send,
    referral_withdraw,
)

REFERRALS_ON_PAGE = 50
OPEN_ONLY, ALL_REFERRALS = "", "all"
# The oversight codes in words (coordination.oversight explains each).
EXCEPTION_LABELS = {
    "lost_contact_without_warning": gettext_lazy("Out of contact with no warning given"),
    "leave_beyond_tier": gettext_lazy("Leave approved beyond its level's limit"),
    "proposal_without_decision": gettext_lazy("Proposals past their decision date"),
    "released_while_proposal_pending": gettext_lazy("Released while a proposal was pending"),
}


# Kept beside the views rather than in a forms module: these forms exist only for these buttons.
class NoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Message"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CompleteForm(forms.Form):
    ADOPTED_CHOICES = [
        ("", gettext_lazy("Choose…")),
        ("yes", gettext_lazy("Adopted")),
        ("no", gettext_lazy("Not adopted")),
    ]

    outcome = forms.CharField(
        label=gettext_lazy("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    adopted = forms.ChoiceField(
        label=gettext_lazy("Was the notice adopted?"), required=False, choices=ADOPTED_CHOICES
    )

    def adopted_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("adopted") or "")


def countdown(due: dt.date | None, today: dt.date, status: str) -> tuple[str, str]:
    """(css class, words) for a referral's answer due date; only an open referral counts down."""
    if due is None or status not in OPEN_REFERRAL_STATUSES:
        return "muted", ""
    days = (due - today).days
    if days < 0:
        return "overdue", ngettext("overdue by %(n)d day", "overdue by %(n)d days", -days) % {"n": -days}
    if days == 0:
        return "due", _("due today")
    words = ngettext("%(n)d day left", "%(n)d days left", days) % {"n": days}
    return ("due" if days <= 3 else "ok"), words


def with_countdown(referrals, today):
    for referral in referrals:
        referral.due_class, referral.due_words = countdown(referral.due_date, today, referral.status)
    return referrals


# The page's filters (config.params: a bad one is a 400 page naming it): the inbox unless the outbox is
# asked for, open referrals unless a status or "all" is.
PAGE_FILTERS = {
    "box": params.choice(BOXES),
    "status": params.choice([*ReferralStatus.values, ALL_REFERRALS]),
}


@login_required
def referral_list_page(request):
    query = params.parse(request.GET, PAGE_FILTERS)
    box = query["box"] or "inbox"
    shown = query["status"] or OPEN_ONLY
    referrals = referral_list(
        user=request.user,
        filters={"box": box, "status": shown if shown in ReferralStatus.values else ""},
    )
    if shown == OPEN_ONLY:
        # Open: drafts not yet sent (the outbox), and what awaits an answer or an outcome.
        referrals = referrals.exclude(status__in=FINAL_STATUSES)
    # The list needs neither thread nor documents: no prefetch, one query for the page's rows.
    referrals = referrals.prefetch_related(None).select_related("supervisee")
    page = Paginator(referrals, REFERRALS_ON_PAGE).get_page(request.GET.get("page"))
    with_countdown(page.object_list, office_today())
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "coordination/referral_list.html",
        {
            "page": page,
            "box": box,
            "shown": shown,
            "statuses": ReferralStatus.choices,
            "open_only": OPEN_ONLY,
            "all_referrals": ALL_REFERRALS,
            "query": query.urlencode(),
        },
    )


def _render_detail(request, referral, *, bound: dict | None = None, status: int = 200):
    user = request.user
    today = office_today()
    with_countdown([referral], today)
    bound = bound or {}
    moves = REFERRAL_TRANSITIONS[referral.status]
    sender, receiver = is_sender(user, referral), is_receiver(user, referral)
    can = {
        "send": sender and ReferralStatus.SENT in moves,
        "withdraw": sender and ReferralStatus.WITHDRAWN in moves,
        "accept": receiver and ReferralStatus.ACCEPTED in moves,
        "reject": receiver and ReferralStatus.REJECTED in moves,
        "complete": receiver and ReferralStatus.COMPLETED in moves,
        "respond": is_party(user, referral) and referral.status not in FINAL_STATUSES,
        "attach": is_party(user, referral) and referral.status not in FINAL_STATUSES,
    }
    # The thread names each message's agency; a party's is on the referral (no query per message).
    agencies = {referral.from_agency_id: referral.from_agency, referral.to_agency_id: referral.to_agency}
    thread = [(message, agencies.get(message.agency_id)) for message in referral.messages.all()]
    return render(
        request,
        "coordination/referral_detail.html",
        {
            "referral": referral,
            "thread": thread,
            "attachments": list(referral.attachments.all()),
            "can": can,
            "any_action": any(can.values()),
            "is_notice": referral.kind == ReferralKind.PROCURATORIAL_NOTICE,
            "error": bound.get("error"),
            "confirming_send": bound.get("confirming_send", False),
            "reject_form": bound.get("reject") or NoteForm(prefix="reject"),
            "withdraw_form": bound.get("withdraw") or NoteForm(prefix="withdraw"),
            "reply_form": bound.get("respond") or ReplyForm(prefix="reply"),
            "complete_form": bound.get("complete") or CompleteForm(prefix="complete"),
            "attach_form": bound.get("attach") or AttachmentForm(),
            "attachment_max_bytes": attachment_max_bytes(),
        },
        status=status,
    )


def _referral(request, pk):
    return referral_get(user=request.user, pk=pk)


@login_required
def referral_detail(request, pk: int):
    return _render_detail(request, _referral(request, pk))


def _act(request, referral, name: str, form: forms.Form | None, call, done_message: str):
    """Run the service behind a button; refusals re-render the referral with the message by its field."""
    form = form or forms.Form(request.POST)
    done, status = run_service(form, lambda _data: call(form))
    if status == 200:
        messages.success(request, done_message)
        # What the step wrote (a proposal's letter, its copy to the procuratorate): API.md v1.1.
        written = written_message(done) if isinstance(done, Referral) else None
        if written:
            messages.info(request, written)
        return redirect(reverse("referral-detail", args=[referral.pk]))
    bound = {name: form}
    if not form.fields:  # a button with no field (send, accept): its message goes above the actions
        bound["error"] = form.non_field_errors()
    return _render_detail(request, referral, bound=bound, status=status)


@login_required
@require_POST
@role_required(SEND_REFERRALS)
def referral_send_view(request, pk: int):
    referral = _referral(request, pk)
    sendable = (
        is_sender(request.user, referral) and ReferralStatus.SENT in REFERRAL_TRANSITIONS[referral.status]
    )
    if sendable and request.POST.get("confirm") != "yes":
        # Sending cannot be undone (the receiver sees the case at once; a withdrawal is on the record):
        # the first submit asks to confirm, without a script (issue 13), nothing written.
        return _render_detail(request, referral, bound={"confirming_send": True})
    return _act(
        request,
        referral,
        "send",
        None,
        lambda form: referral_send(referral=referral, by=request.user),
        _("The referral was sent."),
    )


@login_required
@require_POST
@role_required(SEND_REFERRALS)
def referral_withdraw_view(request, pk: int):
    referral = _referral(request, pk)
    return _act(
        request,
        referral,
        "withdraw",
        NoteForm(request.POST, prefix="withdraw"),
        lambda form: referral_withdraw(referral=referral, by=request.user, note=form.cleaned_data["note"]),
        _("The referral was withdrawn."),
    )


@login_required
@require_POST
@role_required(ANSWER_REFERRALS)
def referral_accept_view(request, pk: int):
    referral = _referral(request, pk)
    return _act(
        request,
        referral,
        "accept",
        None,
        lambda form: referral_accept(referral=referral, by=request.user),
        _("The referral was accepted."),
    )


@login_required
@require_POST
@role_required(ANSWER_REFERRALS)
def referral_reject_view(request, pk: int):
    referral = _referral(request, pk)
    return _act(
        request,
        referral,
        "reject",
        NoteForm(request.POST, prefix="reject"),
        lambda form: referral_reject(referral=referral, by=request.user, note=form.cleaned_data["note"]),
        _("The referral was rejected."),
    )


@login_required
@require_POST
@role_required(WRITE_IN_THREADS)
def referral_respond_view(request, pk: int):
    referral = _referral(request, pk)
    return _act(
        request,
        referral,
        "respond",
        ReplyForm(request.POST, prefix="reply"),
        lambda form: referral_respond(referral=referral, by=request.user, body=form.cleaned_data["body"]),
        _("Your message was added to the thread."),
    )


@login_required
@require_POST
@role_required(ANSWER_REFERRALS)
def referral_complete_view(request, pk: int):
    referral = _referral(request, pk)
    return _act(
        request,
        referral,
        "complete",
        CompleteForm(request.POST, prefix="complete"),
        lambda form: referral_complete(
            referral=referral,
            by=request.user,
            outcome=form.cleaned_data["outcome"],
            # Only a procuratorial notice is adopted or not; for any other kind the choice is not asked.
            adopted=form.adopted_value() if referral.kind == ReferralKind.PROCURATORIAL_NOTICE else None,
        ),
        _("The referral was completed."),
    )


@login_required
@require_POST
@role_required(ATTACH_DOCUMENTS)
def referral_attach_view(request, pk: int):
    referral = _referral(request, pk)
    return _act(
        request,
        referral,
        "attach",
        AttachmentForm(request.POST, request.FILES),
        lambda form: referral_attach(
            referral=referral, by=request.user, uploaded_file=form.cleaned_data["file"]
        ),
        _("The document was attached."),
    )


# --- the oversight page (coordination.oversight) --------------------------------------------------------

EXCEPTIONS_ON_PAGE = 50


@login_required
def oversight_page(request):
    """The exceptions that need oversight, for the procuratorate and bureau supervisors (as the API):
    four queries whatever the number of cases, then counted and filtered here."""
    if request.user.role not in OVERSIGHT_ROLES:
        raise PermissionDenied(
            _("Only the procuratorate or a bureau supervisor sees the oversight exceptions.")
        )
    code = params.parse(request.GET, {"code": params.choice(EXCEPTION_CODES)})["code"] or ""
    found = oversight_exception_list(user=request.user)
    counts = dict.fromkeys(EXCEPTION_CODES, 0)
    for item in found:
        counts[item["code"]] += 1
    shown = [item for item in found if item["code"] == code] if code else found
    page = Paginator(shown, EXCEPTIONS_ON_PAGE).get_page(request.GET.get("page"))
    for item in page.object_list:
        item["label"] = EXCEPTION_LABELS[item["code"]]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "coordination/oversight.html",
        {
            "page": page,
            "code": code,
            "total": len(found),
            "tabs": [(name, EXCEPTION_LABELS[name], counts[name]) for name in EXCEPTION_CODES],
            "query": query.urlencode(),
        },
    )
