"""Which supervisees a user may see: the one place that decides it (docs/roles.md#the-roles).

Every list, detail, search, export, page and API call goes through `supervisees_visible_to`. Rules that
follow from the user's agency are queryset filters here. Higher apps add the rules that follow from
their own records (a referral addressed to the police, a correction team a social worker serves on)
through `register_visibility_rule`, so this lower app never imports them.
"""

from collections.abc import Callable

from django.db.models import Q, QuerySet

from accounts.constants import Role
from accounts.models import User

from .models import Supervisee

# A rule takes the user and returns a Q over Supervisee that adds cases that user may see.
VisibilityRule = Callable[[User], Q]
_extra_rules: dict[str, list[VisibilityRule]] = {role: [] for role in Role.values}


def register_visibility_rule(role: str, rule: VisibilityRule) -> None:
    if rule not in _extra_rules[role]:
        _extra_rules[role].append(rule)


def _agency_rule(user: User) -> Q | None:
    """Cases a user sees because of the agency they work for."""
    district_id = user.agency.district_id
    match user.role:
        case Role.JUSTICE_OFFICER:
            return Q(justice_office_id=user.agency_id)
        case Role.JUSTICE_SUPERVISOR | Role.PROCURATORATE:
            return Q(justice_office__district_id=district_id)
        case Role.COURT:
            # The cases its court decided; cases referred to it are added by coordination.
            return Q(sentence__deciding_agency_id=user.agency_id, justice_office__district_id=district_id)
        case _:
            # Police and social workers see a case only through a referral or a correction team.
            return None


def supervisees_visible_to(user: User) -> QuerySet[Supervisee]:
    if not user.is_authenticated or not user.is_active or not user.role or not user.agency_id:
        return Supervisee.objects.none()
    rules = [
        q for q in [_agency_rule(user), *(rule(user) for rule in _extra_rules[user.role])] if q is not None
    ]
    if not rules:
        return Supervisee.objects.none()
    condition = Q()
    for rule in rules:
        condition |= rule
    return Supervisee.objects.filter(condition)


# What each role may change (a visible case a role may not change answers 403,
# docs/roles.md#roles-who-sees-what-who-changes-what-who-decides).
EDITING_ROLES = frozenset({Role.JUSTICE_OFFICER, Role.JUSTICE_SUPERVISOR})
# Only a supervisor moves a case between offices or officers ("reassignment").
REASSIGNING_ROLES = frozenset({Role.JUSTICE_SUPERVISOR})
# Social workers never see ID numbers or crime details (docs/roles.md#need-to-know).
ROLES_WITHOUT_SENSITIVE_FIELDS = frozenset({Role.SOCIAL_WORKER})
# Who needs a full ID number at all; everyone else sees it masked (docs/roles.md#need-to-know).
ROLES_SEEING_FULL_ID_NUMBER = frozenset({Role.JUSTICE_OFFICER, Role.JUSTICE_SUPERVISOR, Role.PROCURATORATE})


def can_edit_case(user: User, supervisee: Supervisee) -> bool:
    """The caller already sees the case (scoping); may they change it?"""
    if user.role == Role.JUSTICE_OFFICER:
        return supervisee.justice_office_id == user.agency_id
    if user.role == Role.JUSTICE_SUPERVISOR:
        return supervisee.justice_office.district_id == user.agency.district_id
    return False
