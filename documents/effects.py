"""What the case's own steps write (API.md v1.1 "What each step writes"), registered into
corrections.services' transition effects, which run inside the transition's transaction:

- intake (pending_report → under_supervision): the intake_announcement; an intake_receipt notice to the
  deciding agency;
- release (terminated as expired or pardoned, CCL 44): the release_certificate; release notices to the
  deciding agency, the procuratorate and the police;
- death (CCL 51): death notices to the same three;
- a transfer of the place of execution accepted (CCL 27 para. 2, registered into corrections.transfers):
  `transfer` notices from the sending office to the receiving district's bureau and procuratorate
  (API.md v1.1) and to the deciding agency (the law: the agency that changes the place notifies the
  deciding agency and the new agency). The receiving bureau forwards the documents to its procuratorate
  and police itself (the law's last sentence): that is theirs, not notified here.
"""

from django.utils import translation

from accounts.constants import AgencyKind
from accounts.models import User
from corrections.constants import RELEASE_REASONS, IntakeItem, Status
from corrections.models import IntakeRecord, StatusChange, Supervisee, Transfer
from corrections.services import register_transition_effect
from corrections.transfers import register_transfer_effect

from .constants import DocumentKind, NoticeKind
from .contents import chinese_date
from .services import case_authorities, district_agency, document_issue, notice_send


def _is_intake(supervisee: Supervisee, change: StatusChange) -> bool:
    """The first move into supervision: from pending_report, or a person who absconded or was held
    before ever reporting and now reports (corrections.services.supervisee_intake)."""
    return (
        change.to_status == Status.UNDER_SUPERVISION
        and not StatusChange.objects.filter(supervisee=supervisee, to_status=Status.UNDER_SUPERVISION)
        .exclude(pk=change.pk)
        .exists()
    )


def _checklist(supervisee: Supervisee) -> str:
    """What the intake record says was done (CCL 22), in Chinese; empty for an intake made without one
    (API v1 callers send no checklist)."""
    record = IntakeRecord.objects.filter(supervisee=supervisee).first()
    if record is None:
        return ""
    with translation.override("zh-hans"):
        return "；".join(str(IntakeItem(code).label) for code, done in record.items.items() if done)


def _intake(supervisee: Supervisee, change: StatusChange, by: User) -> None:
    announcement = document_issue(
        kind=DocumentKind.INTAKE_ANNOUNCEMENT,
        supervisee=supervisee,
        by=by,
        source=change,
        intake_date=chinese_date(change.date),
        checklist=_checklist(supervisee),
    )
    notice_send(
        kind=NoticeKind.INTAKE_RECEIPT,
        supervisee=supervisee,
        by=by,
        to=[supervisee.sentence.deciding_agency],
        source=change,
        document=announcement,
    )


def _release(supervisee: Supervisee, change: StatusChange, by: User) -> None:
    with translation.override("zh-hans"):
        reason = str(change.get_exit_reason_display())
    certificate = document_issue(
        kind=DocumentKind.RELEASE_CERTIFICATE,
        supervisee=supervisee,
        by=by,
        source=change,
        exit_date=chinese_date(change.date),
        exit_reason=change.exit_reason,
        exit_reason_label=reason,
    )
    notice_send(
        kind=NoticeKind.RELEASE,
        supervisee=supervisee,
        by=by,
        to=case_authorities(supervisee),
        source=change,
        document=certificate,
    )


def _death(supervisee: Supervisee, change: StatusChange, by: User) -> None:
    notice_send(
        kind=NoticeKind.DEATH, supervisee=supervisee, by=by, to=case_authorities(supervisee), source=change
    )


def on_transition(supervisee: Supervisee, change: StatusChange, by: User) -> None:
    if _is_intake(supervisee, change):
        _intake(supervisee, change, by)
    elif change.to_status == Status.TERMINATED and change.exit_reason in RELEASE_REASONS:
        _release(supervisee, change, by)
    elif change.to_status == Status.DECEASED:
        _death(supervisee, change, by)


def on_transfer(transfer: Transfer, by: User) -> None:
    receiving = transfer.to_office.district_id
    notice_send(
        kind=NoticeKind.TRANSFER,
        supervisee=transfer.supervisee,
        by=by,
        from_agency=transfer.from_office,
        to=[
            district_agency(district_id=receiving, kind=AgencyKind.JUSTICE_BUREAU),
            district_agency(district_id=receiving, kind=AgencyKind.PROCURATORATE),
            transfer.supervisee.sentence.deciding_agency,
        ],
        source=transfer,
    )


register_transition_effect(on_transition)
register_transfer_effect(on_transfer)
