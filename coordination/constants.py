from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.constants import Role


class ReferralKind(models.TextChoices):
    INVESTIGATION_REQUEST = "investigation_request", _("Pre-sentence investigation request")
    DOCUMENT_HANDOVER = "document_handover", _("Handover of legal documents")
    ABSCONDER_SEARCH = "absconder_search", _("Request to find an absconder")
    PUBLIC_SECURITY_PENALTY = "public_security_penalty", _("Request for an administrative penalty")
    REVOCATION_PROPOSAL = "revocation_proposal", _("Proposal to revoke probation or parole")
    RECOMMITMENT_PROPOSAL = "recommitment_proposal", _("Proposal to recommit to prison")
    PROCURATORIAL_NOTICE = "procuratorial_notice", _("Procuratorial notice")
    TRANSFER = "transfer", _("Transfer of the place of execution")
    OTHER = "other", _("Other")


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    # "Not accepted" (不予受理), as the receiver's button says: not the 不予批准 of a leave or measure.
    REJECTED = "rejected", pgettext_lazy("referral", "Rejected")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Who moves a referral where: the sender sends and withdraws; the receiver accepts, rejects and
# completes. Everything else answers 409 (docs/api.md#errors).
REFERRAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralStatus.DRAFT: frozenset({ReferralStatus.SENT, ReferralStatus.WITHDRAWN}),
    ReferralStatus.SENT: frozenset(
        {ReferralStatus.ACCEPTED, ReferralStatus.REJECTED, ReferralStatus.WITHDRAWN}
    ),
    ReferralStatus.ACCEPTED: frozenset({ReferralStatus.COMPLETED, ReferralStatus.WITHDRAWN}),
    ReferralStatus.REJECTED: frozenset(),
    ReferralStatus.COMPLETED: frozenset(),
    ReferralStatus.WITHDRAWN: frozenset(),
}
# While a referral is in one of these, the receiving agency sees the case (and the police only then).
VISIBLE_TO_RECEIVER = frozenset(
    {ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.REJECTED, ReferralStatus.COMPLETED}
)
OPEN_REFERRAL_STATUSES = frozenset({ReferralStatus.SENT, ReferralStatus.ACCEPTED})
# API.md "Need to know": the referrals on which the receiving agency must know who the person is. While
# one of these to its agency is sent or accepted, the police or the court reads the case's full ID
# number; elsewhere it is masked (corrections.scoping.id_number_for).
IDENTIFYING_REFERRAL_KINDS = {
    Role.POLICE: frozenset(
        {
            ReferralKind.ABSCONDER_SEARCH,
            ReferralKind.PUBLIC_SECURITY_PENALTY,
            ReferralKind.INVESTIGATION_REQUEST,
        }
    ),
    Role.COURT: frozenset({ReferralKind.REVOCATION_PROPOSAL, ReferralKind.RECOMMITMENT_PROPOSAL}),
}
IDENTIFYING_REFERRAL_STATUSES = frozenset({ReferralStatus.SENT, ReferralStatus.ACCEPTED})


class ArrestGround(models.TextChoices):
    """CCL 47 para. 1: why the correction agency asks the court to arrest a person it proposes to revoke."""

    MAY_ABSCOND = "may_abscond", _("May abscond")
    SOCIAL_DANGER = "social_danger", _("May pose a danger to society")


class ArrestStatus(models.TextChoices):
    # Attached to a draft revocation proposal; requested when the proposal is sent (CCL 47 para. 1: "at
    # the same time"); the court's decision (para. 2); withdrawn with the proposal before a decision.
    DRAFT = "draft", _("Draft")
    REQUESTED = "requested", _("Awaiting the court's decision")
    GRANTED = "granted", _("Arrest decided")
    REFUSED = "refused", _("Arrest refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


ARREST_DECISIONS = frozenset({ArrestStatus.GRANTED, ArrestStatus.REFUSED})
