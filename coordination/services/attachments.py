"""Documents attached to a referral: the type read from the file's first bytes (not its name or its
declared type), a size limit (settings.REFERRAL_ATTACHMENT_MAX_BYTES), the SHA-256 kept, every upload
and download audited. Only the two agencies of the referral attach and open them."""

import hashlib
import uuid
import zipfile

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

from ..constants import ReferralStatus
from ..models import Referral, ReferralAttachment
from .referrals import ACTING_ROLES, FINAL_STATUSES, _locked, is_party

# Who attaches documents to some referral at all (accounts.permissions); on one, `is_party` decides.
ATTACH_DOCUMENTS = RoleRule(
    ACTING_ROLES, gettext_lazy("Only the sending and receiving agencies attach documents.")
)

CHUNK = 64 * 1024


# The types a referral carries, recognised by their first bytes, never by name or declared type:
# (extension, MIME type). ZIP-based ones are told apart by the parts inside.
PDF = ("pdf", "application/pdf")
PNG = ("png", "image/png")
JPEG = ("jpg", "image/jpeg")
DOCX = ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
# GB/T 33190: OFD, the format of Chinese official electronic documents (a ZIP with OFD.xml at its root).
OFD = ("ofd", "application/ofd")
FILE_TYPES = (PDF, PNG, JPEG, DOCX, XLSX, OFD)


def _zip_kind(uploaded: UploadedFile) -> tuple[str, str] | None:
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        uploaded.seek(0)
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return DOCX
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return XLSX
    if "OFD.xml" in names:
        return OFD
    return None


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
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(uploaded)
    return None


def attachment_max_bytes() -> int:
    return settings.REFERRAL_ATTACHMENT_MAX_BYTES


def _too_large(limit: int) -> ValidationError:
    return ValidationError(
        {"file": [_("The file is larger than the limit of %(mib).1f MiB.") % {"mib": limit / 1024 / 1024}]}
    )


@transaction.atomic
def referral_attach(*, referral: Referral, by: User, uploaded_file: UploadedFile) -> ReferralAttachment:
    """Attach a document (PDF, image, Word, Excel or OFD), checking its size and its real type; store its
    SHA-256 so a copy handed over later can be verified."""
    referral = _locked(referral)
    if not is_party(by, referral):
        raise PermissionDenied(_("Only the sending and receiving agencies attach documents."))
    if referral.status in FINAL_STATUSES:
        raise StateConflict(
            _("A referral that is %(current)s takes no more documents.")
            % {"current": ReferralStatus(referral.status).label}
        )
    limit = attachment_max_bytes()
    if uploaded_file.size is not None and uploaded_file.size > limit:
        raise _too_large(limit)
    file_type = detect_file_type(uploaded_file)
    if file_type is None:
        raise ValidationError(
            {"file": [_("Attach a PDF, JPEG or PNG image, Word (.docx), Excel (.xlsx) or OFD document.")]}
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
    original_name = (uploaded_file.name or "").replace("\\", "/").rsplit("/", 1)[-1][:255] or (
        f"attachment.{extension}"
    )
    attachment = ReferralAttachment(
        referral=referral,
        original_name=original_name,
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by=by,
    )
    # Stored under a random name with the detected extension: the uploader's name never reaches the disk.
    # A rolled-back transaction can leave the stored file behind; it is unreferenced and harmless.
    attachment.file.save(f"{uuid.uuid4().hex}.{extension}", uploaded_file, save=False)
    attachment.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        target=attachment,
        supervisee_id=referral.supervisee_id,
        changes={
            "referral": referral.pk,
            "name": original_name,
            "size": size,
            "sha256": attachment.sha256,
            "content_type": content_type,
        },
    )
    return attachment


@transaction.atomic
def referral_attachment_download_record(*, attachment: ReferralAttachment, by: User) -> None:
    """Only the parties fetch a document, and every fetch is audited as an export: a copy leaves."""
    referral = attachment.referral
    if not is_party(by, referral):
        raise PermissionDenied(_("Only the sending and receiving agencies open a referral's documents."))
    audit_record(
        actor=by,
        action=AuditAction.EXPORT,
        target=attachment,
        supervisee_id=referral.supervisee_id,
        changes={"referral": referral.pk, "name": attachment.original_name, "sha256": attachment.sha256},
    )
