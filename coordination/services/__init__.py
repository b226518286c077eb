"""Every write of coordination, one module per subject: referrals (creating, moving, the thread, the
grants on the case) and their attachments. Callers import from here."""

from .attachments import (
    attachment_max_bytes,
    detect_file_type,
    referral_attach,
    referral_attachment_download_record,
)
from .referrals import (
    ACTING_ROLES,
    FINAL_STATUSES,
    _check_addressee,
    _check_creator,
    case_grant,
    case_grants_bulk,
    is_party,
    is_receiver,
    is_sender,
    procuratorial_notice_issue,
    referral_accept,
    referral_complete,
    referral_create,
    referral_deadline_days,
    referral_reject,
    referral_respond,
    referral_send,
    referral_withdraw,
)

__all__ = [
    "ACTING_ROLES",
    "FINAL_STATUSES",
    "_check_addressee",
    "_check_creator",
    "attachment_max_bytes",
    "case_grant",
    "case_grants_bulk",
    "detect_file_type",
    "is_party",
    "is_receiver",
    "is_sender",
    "procuratorial_notice_issue",
    "referral_accept",
    "referral_attach",
    "referral_attachment_download_record",
    "referral_complete",
    "referral_create",
    "referral_deadline_days",
    "referral_reject",
    "referral_respond",
    "referral_send",
    "referral_withdraw",
]
