"""The notices page (`/notices/`): what the caller's agency received, with the receipt button, and what
it sent, with whether each was received. The case page's documents panel and the dashboard's notices
panel are the workspace's. Views translate: parse, call one selector or service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.receivers import client_ip
from accounts.services import list_read_record
from config import params
from config.api import StateConflict

from .constants import NoticeBox, NoticeKind
from .selectors import notice_get, notice_list
from .services import RECEIVE_NOTICES, RECEIVING_ROLES, notice_receive

NOTICES_ON_PAGE = 50
FILTERS = {
    "box": params.choice(NoticeBox.values),
    "kind": params.choice(NoticeKind.values),
    "page": params.ID,
}


@login_required
def notices(request):
    if request.user.role not in RECEIVING_ROLES:
        raise PermissionDenied(_("Your role receives no notices."))
    filters = params.parse(request.GET, FILTERS)
    box = filters["box"] or NoticeBox.INBOX
    rows = notice_list(user=request.user, filters={"box": box, "kind": filters["kind"]})
    page = Paginator(rows, NOTICES_ON_PAGE).get_page(filters["page"])
    list_read_record(
        user=request.user,
        target_type="documents.notice",
        filters={"box": box, "kind": filters["kind"], "page": page.number},
        ip_address=client_ip(request),
    )
    return render(
        request,
        "documents/notice_list.html",
        {"box": box, "kind": filters["kind"], "kinds": NoticeKind.choices, "page": page},
    )


@login_required
@require_POST
@role_required(RECEIVE_NOTICES)
def notice_receive_view(request, pk: int):
    notice = notice_get(user=request.user, pk=pk)
    try:
        notice_receive(notice=notice, by=request.user)
    except StateConflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Receipt recorded: %(kind)s.") % {"kind": notice.get_kind_display()})
    return redirect(reverse("notice-list") + f"?box=inbox#notice-{notice.pk}")
