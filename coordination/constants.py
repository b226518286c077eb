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
