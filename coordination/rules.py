"""What coordination adds to the lower apps' registries: the police and courts see the cases referred
to them (corrections.scoping), and the full ID number of those whose referral needs the person
identified (the same module), and an unanswered referral past its due date raises an alert (the sweep).
Registered in CoordinationConfig.ready()."""

import datetime as dt

from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from accounts.constants import Role
from accounts.models import User
from corrections import law
from corrections.models import Supervisee, SuperviseeGroupObjectPermission
from corrections.scoping import register_identification_rule, register_visibility_rule
from corrections.services import register_release_block
from documents.selectors import register_document_read_rule
from supervision.constants import AlertKind
from supervision.sweep import AlertRows, alert_rows, register_alert_rule

from . import custody
from .constants import (
    IDENTIFYING_REFERRAL_KINDS,
    IDENTIFYING_REFERRAL_STATUSES,
    OPEN_REFERRAL_STATUSES,
    VISIBLE_TO_RECEIVER,
    ReferralKind,
)
from .models import Referral


def referred_cases(user: User) -> Q:
    """Cases granted to the user's agency by a sent referral (the grant is given and taken back only by
    coordination.services). One subquery, whatever the number of grants."""
    granted = SuperviseeGroupObjectPermission.objects.filter(
        group__agency__id=user.agency_id,
        permission__codename="view_supervisee",
        permission__content_type__app_label="corrections",
    ).values("content_object_id")
    return Q(pk__in=granted)


def identifying_referrals(user: User) -> Q:
    """Cases with a referral to the user's agency that needs the person identified (API.md "Need to
    know"), while it is sent or accepted: one subquery."""
    referred = Referral.objects.filter(
        to_agency_id=user.agency_id,
        kind__in=sorted(IDENTIFYING_REFERRAL_KINDS.get(user.role, ())),
        status__in=sorted(IDENTIFYING_REFERRAL_STATUSES),
    ).values("supervisee_id")
    return Q(pk__in=referred)


def referral_letters(user: User) -> Q:
    """The letter of a proposal sent to the user's agency (documents.selectors: the court reads the
    revocation proposal it received), while the referral is one it sees."""
    referrals = Referral.objects.filter(
        to_agency_id=user.agency_id, status__in=sorted(VISIBLE_TO_RECEIVER)
    ).values(text_pk=Cast("pk", CharField()))
    return Q(source_type=Referral._meta.label_lower, source_id__in=referrals)


def referrals_overdue(as_of: dt.date) -> AlertRows:
    """Sent or accepted, and the answer was due before `as_of` (CCL 48 ¶1 for the court's 30 days, the
    *local* deadlines for the rest): one alert per case and due date."""
    referrals = Referral.objects.filter(status__in=sorted(OPEN_REFERRAL_STATUSES), due_date__lt=as_of)
    return alert_rows(referrals, due="due_date", supervisee="supervisee")


def pending_proposal_blocks_release(supervisee: Supervisee) -> str | None:
    """A revocation or recommitment proposal that is sent or accepted waits for the court's or the
    deciding agency's decision (CCL 48 ¶1, 49 ¶2): the case is not released meanwhile (contract v1.1)."""
    pending = (
        Referral.objects.filter(
            supervisee=supervisee,
            kind__in=[ReferralKind.REVOCATION_PROPOSAL, ReferralKind.RECOMMITMENT_PROPOSAL],
            status__in=sorted(OPEN_REFERRAL_STATUSES),
        )
        .order_by("sent_at", "pk")
        .first()
    )
    if pending is None:
        return None
    if pending.kind == ReferralKind.REVOCATION_PROPOSAL:
        return _(
            "A revocation proposal sent to %(agency)s is awaiting its decision: the case is not released "
            "until it is decided or withdrawn (%(ref)s)."
        ) % {"agency": pending.to_agency.name, "ref": law.COURT_DECIDES_REVOCATION}
    return _(
        "A recommitment proposal sent to %(agency)s is awaiting its decision: the case is not released "
        "until it is decided or withdrawn (%(ref)s)."
    ) % {"agency": pending.to_agency.name, "ref": law.RECOMMITMENT_DECIDED}


def register() -> None:
    # Police see a case only through a referral; courts see their own decisions plus referred cases.
    register_visibility_rule(Role.POLICE, referred_cases)
    register_visibility_rule(Role.COURT, referred_cases)
    for role in IDENTIFYING_REFERRAL_KINDS:
        register_identification_rule(role, identifying_referrals)
    register_alert_rule(AlertKind.REFERRAL_OVERDUE, referrals_overdue)
    # CCL 47 para. 2: the court's 48 hours, and custody after an arrest (coordination.custody).
    register_alert_rule(AlertKind.ARREST_OVERDUE, custody.arrests_overdue)
    register_alert_rule(AlertKind.CUSTODY_OVER_LIMIT, custody.custody_over_limit)
    register_release_block(pending_proposal_blocks_release)
    register_document_read_rule(referral_letters)
