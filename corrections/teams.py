"""Correction teams (矫正小组, CCL 25): who serves on a case's team, what the law asks of the team, and
the object grant that lets a member with an account (a social worker, a volunteer) see that one case.

CCL 25: the community correction institution forms a correction team for each supervisee, of officers,
the village or residents' committee, the family, the employer or school, social workers and volunteers;
a female supervisee's team includes a woman (CCL 25 para. 2). CCL 52 para. 2: a minor's team includes
someone versed in minors' physical and mental traits.

Grants are django-guardian object permissions on the direct foreign-key model SuperviseeUserObjectPermission
(README.md#the-rules-the-code-carries-and-where: never guardian's generic table), given and taken back only
here. Social workers see cases through those grants: the visibility rule registered below is how
`supervisees_visible_to` learns of them, so a member who left (grant revoked) no longer sees the case.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.shortcuts import assign_perm, remove_perm

from accounts.constants import AuditAction, Role
from accounts.models import User
from accounts.permissions import RoleRule
from accounts.services import audit_record, field_changes, snapshot
from config.api import StateConflict
from config.office_time import office_today
from config.plausible import EARLIEST_DATE, date_refusal

from . import law
from .constants import EXIT_STATUSES, Gender
from .models import CorrectionTeamMember, Supervisee, SuperviseeUserObjectPermission, TeamRole
from .scoping import EDITING_ROLES, can_edit_case, register_visibility_rule

VIEW_CASE = "corrections.view_supervisee"
VIEW_CASE_CODENAME = "view_supervisee"
# Which account role may fill which team role. Officers must also work at the case's office.
ACCOUNT_ROLES_BY_TEAM_ROLE: dict[str, str] = {
    TeamRole.OFFICER: Role.JUSTICE_OFFICER,
    TeamRole.SOCIAL_WORKER: Role.SOCIAL_WORKER,
    TeamRole.VOLUNTEER: Role.SOCIAL_WORKER,
}
MEMBER_FIELDS = (
    "name",
    "role",
    "user",
    "gender",
    "phone",
    "versed_in_minors",
    "joined_on",
    "left_on",
)


# --- the grant: one case, one account ----------------------------------------------------------------


def case_grant(*, user: User, supervisee: Supervisee) -> None:
    """Let `user` see this one case. guardian picks the direct FK model (SuperviseeUserObjectPermission)
    because Supervisee has one; tests/corrections/test_teams.py checks that no generic row is written."""
    assign_perm(VIEW_CASE, user, supervisee)


def case_revoke(*, user: User, supervisee: Supervisee) -> None:
    remove_perm(VIEW_CASE, user, supervisee)


def _granted_cases(user: User) -> Q:
    """Cases `user` holds a view grant on (a correction team they serve on)."""
    return Q(
        Exists(
            SuperviseeUserObjectPermission.objects.filter(
                content_object=OuterRef("pk"),
                user_id=user.pk,
                permission__codename=VIEW_CASE_CODENAME,
                permission__content_type__app_label="corrections",
            )
        )
    )


# docs/roles.md#the-roles: a social worker sees only the cases whose correction team they belong to.
register_visibility_rule(Role.SOCIAL_WORKER, _granted_cases)


# --- reads ----------------------------------------------------------------------------------------------


def team_member_list(*, supervisee: Supervisee, include_left: bool = False) -> QuerySet[CorrectionTeamMember]:
    """The case's team, current members first in the order they joined. The caller already sees the
    case (corrections.selectors.supervisee_get)."""
    members = CorrectionTeamMember.objects.filter(supervisee=supervisee).select_related("user")
    if not include_left:
        members = members.filter(left_on__isnull=True)
    return members.order_by("left_on", "joined_on", "id")


def team_member_get(*, supervisee: Supervisee, pk) -> CorrectionTeamMember:
    """A member of this case's team; any other id is 404."""
    try:
        return CorrectionTeamMember.objects.select_related("user").get(supervisee=supervisee, pk=int(pk))
    except (CorrectionTeamMember.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def team_requirements(
    *, supervisee: Supervisee, members: list[CorrectionTeamMember] | None = None
) -> list[dict[str, str]]:
    """The CCL 25 requirements the current team does not meet: `[{"code", "detail"}]`, empty when the
    team is complete. Pass `members` (current ones) when already loaded, to save the query."""
    if members is None:
        members = list(team_member_list(supervisee=supervisee))
    members = [m for m in members if m.left_on is None]
    unmet = []
    if not any(m.role != TeamRole.OFFICER for m in members):
        # CCL 25: the team brings in the family, committees, social workers or volunteers, not only
        # the officer.
        unmet.append(
            {
                "code": "member_besides_officer",
                "detail": _("The correction team needs at least one member besides the officer (%(ref)s).")
                % {"ref": law.CORRECTION_TEAM},
            }
        )
    if supervisee.gender == Gender.FEMALE and not any(m.gender == Gender.FEMALE for m in members):
        # CCL 25 para. 2: a female supervisee's team includes a woman.
        unmet.append(
            {
                "code": "female_member",
                "detail": _("A female supervisee's correction team must include a woman (%(ref)s).")
                % {"ref": law.TEAM_WOMAN_FOR_WOMAN},
            }
        )
    if supervisee.is_minor and not any(m.versed_in_minors for m in members):
        # CCL 52 para. 2: a minor's team includes someone who knows minors' physical and mental traits.
        unmet.append(
            {
                "code": "versed_in_minors",
                "detail": _(
                    "A minor's correction team must include someone versed in minors' physical and "
                    "mental traits (%(ref)s)."
                )
                % {"ref": law.MINORS_TEAM},
            }
        )
    return unmet


# --- writes ---------------------------------------------------------------------------------------------

# Who changes a team at all (accounts.permissions): those who change the case; on a case they may not
# change, `_lock_case` refuses.
CHANGE_TEAMS = RoleRule(EDITING_ROLES, gettext_lazy("Your role does not change correction teams."))


def _lock_case(supervisee: Supervisee, by: User) -> Supervisee:
    supervisee = (
        Supervisee.objects.select_for_update(of=("self",))
        .select_related("justice_office")
        .get(pk=supervisee.pk)
    )
    if not can_edit_case(by, supervisee):
        raise PermissionDenied(_("Your role may read this case but not change its correction team."))
    if supervisee.status in EXIT_STATUSES:
        raise StateConflict(_("The case is closed and read-only."))
    return supervisee


def _account_errors(*, user: User, role: str, supervisee: Supervisee) -> list[str]:
    account_role = ACCOUNT_ROLES_BY_TEAM_ROLE.get(role)
    if account_role is None:
        return [_("Only officers, social workers and volunteers take part with an account.")]
    if not user.is_active:
        return [_("This account is disabled.")]
    if role == TeamRole.OFFICER:
        if user.role != Role.JUSTICE_OFFICER or user.agency_id != supervisee.justice_office_id:
            return [_("The officer must be a correction officer of the case's justice office.")]
        return []
    # Social workers and volunteers work with the district's justice offices (ROLE_AGENCY_KIND); one
    # from another district would see a case outside their district.
    if user.role != account_role or user.district_id != supervisee.justice_office.district_id:
        return [_("A social worker or volunteer needs a social worker's account in the case's district.")]
    return []


@transaction.atomic
def team_member_add(
    *,
    supervisee: Supervisee,
    by: User,
    name: str,
    role: str,
    user: User | None = None,
    gender: str = "",
    phone: str = "",
    versed_in_minors: bool = False,
    joined_on: dt.date | None = None,
) -> CorrectionTeamMember:
    """Add a member to the case's correction team (CCL 25). A member with an account is granted the view
    of this case (docs/roles.md#the-roles: social workers see the cases whose team they belong to)."""
    supervisee = _lock_case(supervisee, by)
    today = office_today()
    joined_on = joined_on or today
    name = (name or "").strip() or (user.get_full_name() or user.get_username() if user else "")
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the member's name.")]
    if role not in TeamRole.values:
        errors["role"] = [_("Choose the member's role in the team.")]
    if gender and gender not in Gender.values:
        errors["gender"] = [_("Choose male or female, or leave it empty.")]
    if joined_on > today:
        errors["joined_on"] = [_("The joining date cannot be in the future.")]
    elif joined_on < EARLIEST_DATE:
        errors["joined_on"] = [date_refusal(joined_on, latest=today)]
    if user is not None and "role" not in errors:
        account_errors = _account_errors(user=user, role=role, supervisee=supervisee)
        if account_errors:
            errors["user"] = account_errors
        elif CorrectionTeamMember.objects.filter(
            supervisee=supervisee, user=user, left_on__isnull=True
        ).exists():
            errors["user"] = [_("This person is already on the case's correction team.")]
    if errors:
        raise ValidationError(errors)
    member = CorrectionTeamMember(
        supervisee=supervisee,
        user=user,
        name=name,
        role=role,
        gender=gender or "",
        phone=(phone or "").strip(),
        versed_in_minors=bool(versed_in_minors),
        joined_on=joined_on,
    )
    member.full_clean(exclude=["supervisee", "user"], validate_constraints=False)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as error:  # the same account added twice at once
        raise ValidationError(
            {"user": [_("This person is already on the case's correction team.")]}
        ) from error
    if user is not None:
        case_grant(user=user, supervisee=supervisee)
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        target=member,
        supervisee_id=supervisee.pk,
        changes=field_changes({}, snapshot(member, MEMBER_FIELDS)),
    )
    return member


@transaction.atomic
def team_member_remove(
    *, member: CorrectionTeamMember, by: User, left_on: dt.date | None = None
) -> CorrectionTeamMember:
    """Take a member off the team (the row stays, dated, for the file). A member with an account loses
    the view of the case with it."""
    supervisee = _lock_case(member.supervisee, by)
    # Lock the member row only: the account joins as an outer join, which PostgreSQL cannot lock.
    member = (
        CorrectionTeamMember.objects.select_for_update(of=("self",)).select_related("user").get(pk=member.pk)
    )
    if member.left_on is not None:
        raise StateConflict(
            _("This member already left the team on %(date)s.") % {"date": member.left_on.isoformat()}
        )
    today = office_today()
    left_on = left_on or today
    if left_on > today:
        raise ValidationError({"left_on": [_("The leaving date cannot be in the future.")]})
    if left_on < member.joined_on:
        raise ValidationError(
            {
                "left_on": [
                    _("A member cannot leave before joining (%(date)s).")
                    % {"date": member.joined_on.isoformat()}
                ]
            }
        )
    before = snapshot(member, ("left_on",))
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    if member.user_id is not None:
        case_revoke(user=member.user, supervisee=supervisee)
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        target=member,
        supervisee_id=supervisee.pk,
        changes=field_changes(before, snapshot(member, ("left_on",))),
    )
    return member
