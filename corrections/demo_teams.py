"""Correction teams in `seed_demo` (docs/api.md#demo-data: `socialworker` serves on the first justice
office's correction teams).

The demo social worker joins the teams of about fifteen open cases of 临城司法所, beside the case's
officer, a family member and a member of the village or residents' committee (CCL 25). Rows are
written with bulk_create like the rest of the demo (one audit row for the whole seeding), and the view
grants go through the same helper the service uses (teams.case_grant). Idempotent: cases that already
have a team are skipped, and once the social worker serves on fifteen teams nothing more is written.
"""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from accounts.constants import Role

from .constants import Gender, HouseholdType, Status
from .demo import CASE_NUMBER_PREFIX, DemoContext, register_demo_step
from .models import CorrectionTeamMember, TeamRole
from .teams import case_grant

TEAM_CASES = 15
OFFICE_KEY = "lincheng"
SOCIAL_WORKER = "socialworker"
_GIVEN_MALE = "建国志强海军明德国庆长江振华"
_GIVEN_FEMALE = "秀兰桂英玉梅淑珍凤霞丽华春燕"
_RELATIVES = (("父亲", Gender.MALE), ("母亲", Gender.FEMALE), ("配偶", None), ("哥哥", Gender.MALE))
_COMMITTEE_SURNAMES = "王李张刘陈杨赵孙周吴"
_PHONE_PREFIXES = ("135", "138", "150", "158", "182", "188")


def _given(rng, gender: str) -> str:
    pool = _GIVEN_FEMALE if gender == Gender.FEMALE else _GIVEN_MALE
    start = rng.randrange(len(pool) // 2) * 2
    return pool[start : start + 2]


def _phone(rng) -> str:
    return rng.choice(_PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def seed_correction_teams(context: DemoContext) -> str:
    office = context.agencies[OFFICE_KEY]
    worker = context.users.get(SOCIAL_WORKER)
    if worker is None or worker.role != Role.SOCIAL_WORKER or worker.agency_id != office.pk:
        # An account that existed before the demo under this name may work elsewhere: leave it alone.
        return _("skipped: no demo social worker at %(office)s") % {"office": office.name}
    served = context.supervisees.filter(team__user=worker, team__left_on__isnull=True).distinct().count()
    wanted = TEAM_CASES - served
    if wanted <= 0:
        return _("nothing to do: the social worker serves on %(count)d teams") % {"count": served}
    has_team = CorrectionTeamMember.objects.filter(supervisee=OuterRef("pk"))
    cases = list(
        context.supervisees.filter(
            justice_office=office,
            status=Status.UNDER_SUPERVISION,
            case_number__startswith=CASE_NUMBER_PREFIX,
        )
        .exclude(Exists(has_team))
        .select_related("officer")
        .order_by("case_number")[:wanted]
    )
    members = []
    for case in cases:
        rng = context.rng_for("team", case.case_number)
        joined = case.intake_date or context.today
        if case.officer_id and case.officer.agency_id == office.pk:
            members.append(
                CorrectionTeamMember(
                    supervisee=case,
                    user=case.officer,
                    name=case.officer.get_full_name() or case.officer.username,
                    role=TeamRole.OFFICER,
                    joined_on=joined,
                )
            )
        # The demo social worker (杨晓燕) is a woman trained for work with minors: with her on the team, a
        # female supervisee's team meets CCL 25 para. 2 and a minor's CCL 52 para. 2.
        members.append(
            CorrectionTeamMember(
                supervisee=case,
                user=worker,
                name=worker.get_full_name() or worker.username,
                role=TeamRole.SOCIAL_WORKER,
                gender=Gender.FEMALE,
                phone=_phone(rng),
                versed_in_minors=case.is_minor,
                joined_on=joined,
            )
        )
        relation, relative_gender = rng.choice(_RELATIVES)
        relative_gender = relative_gender or (Gender.FEMALE if case.gender == Gender.MALE else Gender.MALE)
        surname = case.name[0] if relation in ("父亲", "哥哥") else rng.choice(_COMMITTEE_SURNAMES)
        members.append(
            CorrectionTeamMember(
                supervisee=case,
                name=f"{surname}{_given(rng, relative_gender)}（{relation}）",
                role=TeamRole.FAMILY,
                gender=relative_gender,
                phone=_phone(rng),
                joined_on=joined,
            )
        )
        committee_gender = rng.choice((Gender.MALE, Gender.FEMALE))
        committee = "村委会" if case.household_type == HouseholdType.RURAL else "居委会"
        members.append(
            CorrectionTeamMember(
                supervisee=case,
                name=f"{rng.choice(_COMMITTEE_SURNAMES)}{_given(rng, committee_gender)}（{committee}）",
                role=TeamRole.VILLAGE_COMMITTEE,
                gender=committee_gender,
                phone=_phone(rng),
                joined_on=joined,
            )
        )
    CorrectionTeamMember.objects.bulk_create(members)
    for member in members:
        if member.user is not None:
            case_grant(user=member.user, supervisee=member.supervisee)
    context.created["team_members"] = context.created.get("team_members", 0) + len(members)
    return _("added %(members)d correction team members to %(cases)d cases") % {
        "members": len(members),
        "cases": len(cases),
    }


register_demo_step("correction_teams", seed_correction_teams)
