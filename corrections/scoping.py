"""Which supervisees a user may see: the one place that decides it (docs/roles.md#the-roles).

Every list, detail, search, export, page and API call goes through `supervisees_visible_to`. Rules that
follow from the user's agency are queryset filters here. Higher apps add the rules that follow from
their own records (a referral addressed to the police, a correction team a social worker serves on)
through `register_visibility_rule`, so this lower app never imports them.

What a reader sees of a visible case's ID number is decided here too, once (`id_number_for`): in full,
masked, or not at all (API.md "Need to know"). The police and the court see it in full only on a case
whose referral needs the person identified; coordination, which keeps referrals, says which cases
those are through `register_identification_rule`.
"""

import operator
from collections.abc import Callable
from functools import reduce

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role
from accounts.models import Agency, User
from accounts.permissions import RoleRule
from config.sql import AmongIds

from .models import Supervisee

# A rule takes the user and returns a Q over Supervisee that adds cases that user may see.
VisibilityRule = Callable[[User], Q]
_extra_rules: dict[str, list[VisibilityRule]] = {role: [] for role in Role.values}


def register_visibility_rule(role: str, rule: VisibilityRule) -> None:
    if rule not in _extra_rules[role]:
        _extra_rules[role].append(rule)


def _agency_rule(user: User) -> Q | None:
    """Cases a user sees because of the agency they work for, each written so that an index finds them
    also as one side of an OR (`supervisees_visible_to`): an office's cases by the office column; a
    district's or a city's as the cases of its offices (`AmongIds` over the office column: the
    district's few offices first, then their cases through the office index, where the join
    `justice_office__district_id` could only be checked row by row under an OR)."""
    district_id = user.agency.district_id
    if district_id is None:
        # A city-level agency (accounts.models.Agency: its city's justice bureau, so a supervisor): every
        # case of every district of the city (docs/roles.md#the-city-level). Read only: no RoleRule lets
        # a city-level user write (accounts.permissions), and `can_edit_case` says no.
        if user.role == Role.JUSTICE_SUPERVISOR and user.agency.city_id is not None:
            return _of_offices(Agency.objects.filter(district__city_id=user.agency.city_id))
        return None
    match user.role:
        case Role.JUSTICE_OFFICER:
            return Q(justice_office_id=user.agency_id)
        case Role.JUSTICE_SUPERVISOR | Role.PROCURATORATE:
            return _of_offices(Agency.objects.filter(district_id=district_id))
        case Role.COURT:
            # The cases its court decided; cases referred to it are added by coordination.
            decided = Q(sentence__deciding_agency_id=user.agency_id, justice_office__district_id=district_id)
            return _by_id(decided)
        case _:
            # Police and social workers see a case only through a referral or a correction team.
            return None


def _of_offices(agencies: QuerySet[Agency]) -> Q:
    """The cases whose office is one of `agencies`."""
    return Q(AmongIds("justice_office_id", agencies.order_by().values("pk")))


def _by_id(rule: Q) -> Q:
    """The cases of `rule` (any Q over Supervisee, joins and subqueries included) by their ids: computed
    once, then read through the primary key."""
    return Q(AmongIds("pk", Supervisee.objects.filter(rule).order_by().values("pk")))


def in_home_area(user: User, agency_field: str) -> Q:
    """Q over any model: the rows whose agency (`agency_field`, a path to an Agency, e.g.
    "supervisee__justice_office" or "from_agency") is in the user's district, or, for a city-level user,
    in any district of its city. Matches nothing for a user with neither. The lists that follow "the
    caller's district" (referrals, documents, notices) ask this instead of comparing district ids, so a
    city supervisor reads them across its districts."""
    if not user.agency_id:
        return Q(pk__in=[])
    prefix = f"{agency_field}__" if agency_field else ""  # "": the rows are agencies themselves
    district_id = user.agency.district_id
    if district_id is not None:
        return Q(**{f"{prefix}district_id": district_id})
    if user.agency.city_id is not None:
        return Q(**{f"{prefix}district__city_id": user.agency.city_id})
    return Q(pk__in=[])


def supervisees_visible_to(user: User) -> QuerySet[Supervisee]:
    if not user.is_authenticated or not user.is_active or not user.role or not user.agency_id:
        return Supervisee.objects.none()
    agency = _agency_rule(user)
    granted = [q for q in (rule(user) for rule in _extra_rules[user.role]) if q is not None]
    if agency is None and len(granted) <= 1:
        return Supervisee.objects.filter(granted[0]) if granted else Supervisee.objects.none()
    # The rules OR-ed in one WHERE, each in a form an index serves on its own: the agency's rule as
    # written above, every other rule (a grant table's few rows, a referral, a notice) as the ids of its
    # cases (`_by_id`: `id = ANY(ARRAY(SELECT ...))`, computed once). PostgreSQL then reads the scope as
    # a BitmapOr of index scans: the office's 2,400 cases are read from the office index, not looked up
    # one by one by id (the scope was a semi-join on the ids of a UNION of the rules, which probed the
    # primary key once per case in scope: 2,400 for an office, 15,000 for a district, several times a
    # page, benchmarks/README.md). Written as a plain OR of the rules (`pk IN (subquery)` under an OR),
    # the same rows were checked row by row over every person. The rows are exactly those of the OR
    # (tests/test_permission_matrix.py).
    rules = [*([agency] if agency is not None else []), *(_by_id(rule) for rule in granted)]
    return Supervisee.objects.filter(reduce(operator.or_, rules))


# --- the ID number: in full, masked or not at all ------------------------------------------------------

# Social workers never see ID numbers or crime details (docs/roles.md#need-to-know).
ROLES_WITHOUT_SENSITIVE_FIELDS = frozenset({Role.SOCIAL_WORKER})
# Who needs a full ID number on every case they see; everyone else sees it masked
# (docs/roles.md#need-to-know), except where a registered identification rule says the case needs the
# person identified.
ROLES_SEEING_FULL_ID_NUMBER = frozenset({Role.JUSTICE_OFFICER, Role.JUSTICE_SUPERVISOR, Role.PROCURATORATE})
# The annotation `with_id_number_access` puts on a queryset's rows: the reader may see the full number.
IDENTIFIED = "id_number_identified"

# A rule takes the user and returns a Q over Supervisee: the visible cases whose ID number that user
# may read in full (the police on a case referred to them to find an absconder, docs/roles.md#need-to-know).
IdentificationRule = Callable[[User], Q]
_identification_rules: dict[str, list[IdentificationRule]] = {role: [] for role in Role.values}


def register_identification_rule(role: str, rule: IdentificationRule) -> None:
    if rule not in _identification_rules[role]:
        _identification_rules[role].append(rule)


def identified_condition(user: User) -> Q | None:
    """Q over Supervisee: the cases whose full ID number `user` may read; `Q()` for all of them, None
    for none (social workers, and the police or court without a referral that needs it)."""
    if not user.is_authenticated or not user.role:
        return None
    if user.role in ROLES_WITHOUT_SENSITIVE_FIELDS:
        return None
    if user.role in ROLES_SEEING_FULL_ID_NUMBER:
        return Q()
    rules = [rule(user) for rule in _identification_rules.get(user.role, [])]
    if not rules:
        return None
    condition = rules[0]
    for rule in rules[1:]:
        condition |= rule
    return condition


def with_id_number_access(supervisees: QuerySet[Supervisee], user: User) -> QuerySet[Supervisee]:
    """`supervisees` with `IDENTIFIED` on each row for `user`, in the same query (a list of fifty cases
    asks once, not fifty times). Roles that see every number in full, or none, need no annotation."""
    if not user.is_authenticated or user.role in ROLES_WITHOUT_SENSITIVE_FIELDS | ROLES_SEEING_FULL_ID_NUMBER:
        return supervisees
    condition = identified_condition(user)
    if condition is None:
        return supervisees.annotate(**{IDENTIFIED: Value(False, output_field=BooleanField())})
    return supervisees.annotate(
        **{
            IDENTIFIED: Case(
                When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        }
    )


def id_number_for(user: User, supervisee: Supervisee) -> str | None:
    """The ID number as `user` may read it on a case they see: in full, masked (`370404********3416`),
    or None. Every answer, page and export that shows an ID number asks this."""
    if not user.is_authenticated or user.role in ROLES_WITHOUT_SENSITIVE_FIELDS:
        return None
    if user.role in ROLES_SEEING_FULL_ID_NUMBER:
        return supervisee.id_number
    identified = getattr(supervisee, IDENTIFIED, None)
    if identified is None:
        condition = identified_condition(user)
        identified = condition is not None and Supervisee.objects.filter(condition, pk=supervisee.pk).exists()
    return supervisee.id_number if identified else supervisee.masked_id_number


# What each role may change (a visible case a role may not change answers 403,
# docs/roles.md#roles-who-sees-what-who-changes-what-who-decides).
EDITING_ROLES = frozenset({Role.JUSTICE_OFFICER, Role.JUSTICE_SUPERVISOR})
# Registering, correcting and moving a case along its lifecycle: any other role is refused by its role
# alone, before the body is read or the case looked up (accounts.permissions).
CHANGE_CASES = RoleRule(EDITING_ROLES, _("Your role does not register or change case files."))
# Only a supervisor moves a case between offices or officers ("reassignment").
REASSIGNING_ROLES = frozenset({Role.JUSTICE_SUPERVISOR})


def can_edit_case(user: User, supervisee: Supervisee) -> bool:
    """The caller already sees the case (scoping); may they change it?"""
    if user.role == Role.JUSTICE_OFFICER:
        return supervisee.justice_office_id == user.agency_id
    if user.role == Role.JUSTICE_SUPERVISOR:
        # A city-level supervisor has no district (None), so changes no case.
        district_id = user.agency.district_id
        return district_id is not None and supervisee.justice_office.district_id == district_id
    return False


def editable_condition(user: User) -> Q | None:
    """`can_edit_case` as a filter over Supervisee: the cases `user` may change, or None for none. Each is
    a case `user` sees (the agency rule of `_agency_rule` for the same roles), so a write that finds its
    case here need not compute the whole scope (its grants' subqueries) to know the case is in it; one that
    does not find it asks `supervisees_visible_to` to tell 404 from 403
    (corrections.selectors.supervisee_get_for_update). tests/corrections/test_scoping.py checks the two
    agree, case by case, for every role."""
    if not user.is_authenticated or not user.is_active or not user.agency_id:
        return None
    if user.role == Role.JUSTICE_OFFICER:
        return Q(justice_office_id=user.agency_id)
    if user.role == Role.JUSTICE_SUPERVISOR:
        district_id = user.agency.district_id
        return None if district_id is None else Q(justice_office__district_id=district_id)
    return None
