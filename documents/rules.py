"""What documents adds to corrections' scoping: an agency a notice was sent to sees the case it is about
while the notice is unreceived or younger than NOTICE_VISIBLE_DAYS (API.md v1.1 "Notices between
agencies"), whatever district the agency is in (a deciding court elsewhere). Registered on import
(DocumentsConfig.ready)."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from accounts.constants import Role
from accounts.models import User
from corrections.scoping import register_visibility_rule

from .constants import NOTICE_VISIBLE_DAYS
from .models import Notice


def noticed_cases(user: User) -> Q:
    """One subquery over the agency's inbox (index notice_inbox / notice_case_addressee)."""
    since = timezone.now() - dt.timedelta(days=NOTICE_VISIBLE_DAYS)
    cases = Notice.objects.filter(
        Q(received_at__isnull=True) | Q(sent_at__gte=since), to_agency_id=user.agency_id
    ).values("supervisee_id")
    return Q(pk__in=cases)


# The roles that receive notices for their agency. Officers and supervisors of the justice system see
# their own district already; a transfer's notice lets the receiving bureau's supervisors see the case.
for _role in (Role.POLICE, Role.COURT, Role.PROCURATORATE, Role.JUSTICE_SUPERVISOR):
    register_visibility_rule(_role, noticed_cases)
