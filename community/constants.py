"""Social forces in correction (CCL 11-13, 35-43): the kinds of activity and of provider, and which
activity kinds count toward which monthly hours duty of the reporting rule."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from supervision.constants import Duty


class ActivityKind(models.TextChoices):
    # CCL 36: education in law and morality, in groups or one to one.
    GROUP_EDUCATION = "group_education", _("Group education")
    INDIVIDUAL_TALK = "individual_talk", _("Individual talk")
    # CCL 40: psychological counselling, among the services the institution may buy.
    COUNSELLING = "counselling", _("Psychological counselling")
    # CCL 37, 41: vocational skills training and employment guidance.
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational training")
    EMPLOYMENT_HELP = "employment_help", _("Employment help")
    # CCL 43: help applying for social assistance, social insurance, legal aid.
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance")
    # CCL 42: public-interest activities (公益活动).
    COMMUNITY_SERVICE = "community_service", _("Community service")


# An individual talk is one person's; every other kind may gather several.
ONE_PERSON_KINDS = frozenset({ActivityKind.INDIVIDUAL_TALK})


class ParticipationOutcome(models.TextChoices):
    COMPLETED = "completed", _("Took part")
    PARTLY = "partly", _("Took part in part")
    ABSENT = "absent", _("Absent")
    EMPLOYED = "employed", _("Found work")
    ASSISTANCE_GRANTED = "assistance_granted", _("Assistance granted")


# An absent participant records no hours.
NO_HOURS_OUTCOMES = frozenset({ParticipationOutcome.ABSENT})


class ProviderKind(models.TextChoices):
    # CCL 13, 38, 40, 41: volunteers, social organisations, employers, schools.
    VOLUNTEER = "volunteer", _("Volunteer")
    ORGANISATION = "organisation", _("Social organisation")
    EMPLOYER = "employer", _("Employer")
    SCHOOL = "school", _("School")


# Which activity kinds count toward which monthly hours duty of the reporting rule (supervision.constants
# Duty; the hours themselves are the rule's `hours_per_month`, *local* data). Local practice, not the law:
# the Community Correction Law names education and public-interest activities (CCL 36, 42) but sets no
# hours; the monthly hours come from the Implementation Measures and provincial rules, which are not in
# the law folder. Study: education in groups or one to one and vocational training; community service:
# public-interest work. Counselling, employment help and social assistance are help, not a duty's hours.
DUTY_ACTIVITY_KINDS: dict[str, frozenset[str]] = {
    Duty.EDUCATION: frozenset(
        {ActivityKind.GROUP_EDUCATION, ActivityKind.INDIVIDUAL_TALK, ActivityKind.VOCATIONAL_TRAINING}
    ),
    Duty.COMMUNITY_SERVICE: frozenset({ActivityKind.COMMUNITY_SERVICE}),
}


class NeedKind(models.TextChoices):
    # CCL 37, 41: employment; CCL 43: social assistance (housing among it); CCL 40: counselling;
    # CCL 37: helping students complete their schooling.
    EMPLOYMENT = "employment", _("Employment")
    HOUSING = "housing", _("Housing")
    COUNSELLING = "counselling", _("Counselling")
    SCHOOLING = "schooling", _("Schooling")
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MATCHED = "matched", _("Matched to a provider")
    MET = "met", _("Met")
    UNMET = "unmet", _("Closed unmet")


NEED_TRANSITIONS: dict[str, frozenset[str]] = {
    NeedStatus.OPEN: frozenset({NeedStatus.MATCHED, NeedStatus.UNMET}),
    NeedStatus.MATCHED: frozenset({NeedStatus.MATCHED, NeedStatus.MET, NeedStatus.UNMET}),
    NeedStatus.MET: frozenset(),
    NeedStatus.UNMET: frozenset(),
}
OPEN_NEED_STATUSES = frozenset({NeedStatus.OPEN, NeedStatus.MATCHED})
# Which offers answer which need: a provider matches a need when it offers one of these kinds.
NEED_OFFERS: dict[str, frozenset[str]] = {
    NeedKind.EMPLOYMENT: frozenset({ActivityKind.EMPLOYMENT_HELP, ActivityKind.VOCATIONAL_TRAINING}),
    NeedKind.HOUSING: frozenset({ActivityKind.SOCIAL_ASSISTANCE}),
    NeedKind.COUNSELLING: frozenset({ActivityKind.COUNSELLING}),
    NeedKind.SCHOOLING: frozenset({ActivityKind.VOCATIONAL_TRAINING, ActivityKind.GROUP_EDUCATION}),
    NeedKind.SOCIAL_ASSISTANCE: frozenset({ActivityKind.SOCIAL_ASSISTANCE}),
}
