"""Temporary execution outside prison on medical and other grounds (CPL 265): the monthly health report
and the re-examination at a designated hospital (CPL 265 para. 4), each with its conclusion, and the
hospital's document attached. The rules of when each is due are supervision.medical's; what a
`ground_ended` conclusion suggests (recommitment, CPL 268 para. 1(3)) is supervision.selectors'.

The hospital's document is handled as a referral's attachment is (coordination.services.attachments:
its type read from its first bytes, never its name, a size limit, the SHA-256 kept, every upload and
download audited). That module sits above supervision (the import direction), so the few lines that
recognise a type are repeated here rather than imported."""

import datetime as dt
import hashlib
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.constants import AuditAction
from accounts.models import User
from accounts.permissions import RoleRule
from accounts.services import audit_record
from config.api import StateConflict
from config.office_time import office_today
from corrections import law
from corrections.constants import Category, Status
from corrections.models import Supervisee
from corrections.scoping import EDITING_ROLES, can_edit_case

from ..constants import MedicalConclusion, MedicalReportKind
from ..models import MedicalReport

# Who records health reports at all (accounts.permissions); on which case, `can_edit_case` decides:
# the officers of the case's office and the district's supervisors, as for check-ins.
RECORD_MEDICAL_REPORTS = RoleRule(EDITING_ROLES, gettext_lazy("Your role does not record health reports."))

CHUNK = 64 * 1024
# The hospital's document: a PDF or a scan (JPEG, PNG), recognised by its first bytes.
PDF = ("pdf", "application/pdf")
PNG = ("png", "image/png")
JPEG = ("jpg", "image/jpeg")
FILE_TYPES = (PDF, PNG, JPEG)


def detect_file_type(uploaded: UploadedFile) -> tuple[str, str] | None:
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    return None


def attachment_max_bytes() -> int:
    # The same limit as a referral's attachment: one setting for the documents the office receives.
    return settings.REFERRAL_ATTACHMENT_MAX_BYTES


def _too_large(limit: int) -> ValidationError:
    return ValidationError(
        {"file": [_("The file is larger than the limit of %(mib).1f MiB.") % {"mib": limit / 1024 / 1024}]}
    )


def _store_file(report: MedicalReport, uploaded_file: UploadedFile) -> None:
    limit = attachment_max_bytes()
    if uploaded_file.size is not None and uploaded_file.size > limit:
        raise _too_large(limit)
    file_type = detect_file_type(uploaded_file)
    if file_type is None:
        raise ValidationError(
            {"file": [_("Attach the hospital's document as a PDF, or a JPEG or PNG scan.")]}
        )
    digest, size = hashlib.sha256(), 0
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks(CHUNK):
        size += len(chunk)
        if size > limit:  # the declared size may lie; the bytes read do not
            raise _too_large(limit)
        digest.update(chunk)
    uploaded_file.seek(0)
    extension, content_type = file_type
    report.file_name = (uploaded_file.name or "").replace("\\", "/").rsplit("/", 1)[-1][:255] or (
        f"document.{extension}"
    )
    report.file_type = content_type
    report.file_size = size
    report.file_sha256 = digest.hexdigest()
    # A rolled-back transaction can leave the stored file behind; it is unreferenced and harmless.
    report.file.save(f"{uuid.uuid4().hex}.{extension}", uploaded_file, save=False)


def _locked(supervisee: Supervisee) -> Supervisee:
    return (
        Supervisee.objects.select_for_update(of=("self",))
        .select_related("justice_office", "sentence")
        .get(pk=supervisee.pk)
    )


def _check_case(*, by: User, supervisee: Supervisee) -> None:
    if not can_edit_case(by, supervisee):
        raise PermissionDenied(_("Your role may read this case but not record health reports for it."))
    if supervisee.sentence.category != Category.TEMPORARY_EXECUTION:
        raise ValidationError(
            {
                "supervisee": [
                    _(
                        "Health reports and re-examinations are recorded only for temporary execution "
                        "outside prison (%(ref)s); this case is %(category)s."
                    )
                    % {
                        "ref": law.TEMPORARY_EXECUTION_GROUNDS,
                        "category": Category(supervisee.sentence.category).label,
                    }
                ]
            }
        )
    if supervisee.status != Status.UNDER_SUPERVISION:
        raise StateConflict(
            _("Health reports are recorded only for a case under supervision; this case is %(status)s.")
            % {"status": Status(supervisee.status).label}
        )


@transaction.atomic
def medical_report_record(
    *,
    supervisee: Supervisee,
    by: User,
    kind: str,
    date: dt.date,
    conclusion: str,
    hospital: str = "",
    notes: str = "",
    uploaded_file: UploadedFile | None = None,
) -> MedicalReport:
    """Record a monthly health report or a re-examination of a temporary-execution case under
    supervision (400 naming CPL 265 for any other category), with the hospital's document when given."""
    supervisee = _locked(supervisee)
    _check_case(by=by, supervisee=supervisee)
    errors: dict[str, list[str]] = {}
    if kind not in MedicalReportKind.values:
        errors["kind"] = [_("Unknown kind of health report.")]
    if conclusion not in MedicalConclusion.values:
        errors["conclusion"] = [_("Unknown conclusion.")]
    if date > office_today():
        errors["date"] = [_("A health report cannot be dated in the future.")]
    elif supervisee.intake_date and date < supervisee.intake_date:
        errors["date"] = [
            _("A health report cannot be before intake (%(date)s).")
            % {"date": supervisee.intake_date.isoformat()}
        ]
    hospital = hospital.strip()
    if kind == MedicalReportKind.REEXAMINATION and not hospital:
        errors["hospital"] = [
            _("Name the designated hospital that made the re-examination (%(ref)s).")
            % {"ref": law.DESIGNATED_HOSPITAL}
        ]
    if errors:
        raise ValidationError(errors)
    report = MedicalReport(
        supervisee=supervisee,
        kind=kind,
        date=date,
        hospital=hospital,
        conclusion=conclusion,
        notes=notes,
        recorded_by=by,
    )
    if uploaded_file is not None:
        _store_file(report, uploaded_file)
    report.full_clean(exclude=["file"])
    report.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        target=report,
        supervisee_id=supervisee.pk,
        changes={
            "kind": kind,
            "date": date.isoformat(),
            "hospital": hospital,
            "conclusion": conclusion,
            **({"file": report.file_name, "sha256": report.file_sha256} if report.file else {}),
        },
    )
    return report


@transaction.atomic
def medical_report_attach(*, report: MedicalReport, by: User, uploaded_file: UploadedFile) -> MedicalReport:
    """Attach the hospital's document to a report that has none yet (a document, once attached, is
    evidence and is not replaced: 409)."""
    report = MedicalReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
    supervisee = _locked(report.supervisee)
    if not can_edit_case(by, supervisee):
        raise PermissionDenied(_("Your role may read this case but not record health reports for it."))
    if report.file:
        raise StateConflict(_("This report already carries the hospital's document."))
    _store_file(report, uploaded_file)
    report.save(update_fields=["file", "file_name", "file_type", "file_size", "file_sha256"])
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        target=report,
        supervisee_id=supervisee.pk,
        changes={"file": report.file_name, "size": report.file_size, "sha256": report.file_sha256},
    )
    return report


def medical_report_download_record(*, report: MedicalReport, by: User, ip_address: str | None = None) -> None:
    """Every fetch of the hospital's document is audited as an export: a copy leaves. The caller found
    the report through the case scoping (out of scope is 404)."""
    audit_record(
        actor=by,
        action=AuditAction.EXPORT,
        target=report,
        supervisee_id=report.supervisee_id,
        changes={"file": report.file_name, "sha256": report.file_sha256},
        ip_address=ip_address,
    )
