"""Every write of the reports app: export audit rows, the ledger import, the monthly sign-off."""

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.constants import AuditAction, Role
from accounts.models import Agency, User
from accounts.permissions import CITY_LEVEL_REFUSAL
from accounts.services import audit_record
from config.api import StateConflict
from config.office_time import office_today
from corrections.idnumber import mask_search_text
from corrections.models import Supervisee
from corrections.scoping import EDITING_ROLES
from corrections.services import supervisee_register
from supervision.enqueue import enqueue_on_commit

from .ledger import Converter, Ledger, LedgerFileError, read_ledger
from .models import LedgerImport, LedgerImportStatus, MonthlySnapshot
from .selectors import report_offices, report_scope
from .statistics import monthly_statistics

logger = logging.getLogger(__name__)

EXPORT_TARGET = "reports.monthly"
# Up to this many rows a confirmed ledger is imported while the clerk waits; more run on the worker.
INLINE_IMPORT_ROWS = 200
# A queued import the worker has not started after this long is enqueued again when its page is
# looked at (the broker may have been down when it was confirmed; the task is idempotent).
REQUEUE_AFTER = dt.timedelta(minutes=2)
PROGRESS_EVERY = 25
# Namespace of the PostgreSQL advisory lock that keeps two runs of one import apart.
IMPORT_LOCK_NAMESPACE = 7401
# What the service derives from other columns: its errors there follow from an error in those.
DERIVED_FIELDS = frozenset({"birth_date", "sentence.start_date", "sentence.end_date", "sentence.period_rule"})


SNAPSHOT_TARGET = "reports.monthlysnapshot"


def check_may_sign_months(user: User) -> None:
    # Signing the month's figures off is the bureau's act (docs/roles.md#who-decides-what): the supervisor's,
    # no one else's.
    if getattr(user, "role", None) != Role.JUSTICE_SUPERVISOR or not user.agency_id:
        raise PermissionDenied(_("Only a justice supervisor signs off the monthly statistics."))
    if user.is_city_level:
        # A district's figures are signed by its own bureau; the city reads them (docs/roles.md).
        raise PermissionDenied(_("A district's statistics are signed off by the district's own bureau."))


@transaction.atomic
def monthly_snapshot_sign(*, user: User, month: dt.date, justice_office: Agency | None) -> MonthlySnapshot:
    """Sign off an ended month's figures for the district (`justice_office` None) or one of its offices.
    The month must have ended (office time zone): a running month's figures still move. A month and
    scope is signed once: a second sign-off is a conflict (409)."""
    first, supervisees, office, conflict = _sign_checks(user=user, month=month, justice_office=justice_office)
    snapshot = MonthlySnapshot(
        month=first,
        district_id=user.agency.district_id,
        justice_office=office,
        figures=monthly_statistics(
            supervisees=supervisees, month=first, offices=report_offices(user=user, office=office)
        ),
        signed_by=user,
        signed_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            snapshot.save()
    except IntegrityError as error:
        raise StateConflict(conflict) from error
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        target=snapshot,
        changes={"month": first.strftime("%Y-%m"), "justice_office": office.pk if office else None},
    )
    return snapshot


def monthly_snapshot_sign_check(*, user: User, month: dt.date, justice_office: Agency | None) -> None:
    """What `monthly_snapshot_sign` would refuse, refused the same way, writing nothing: the page asks to
    confirm a sign-off only when it would be done (issue 13)."""
    _sign_checks(user=user, month=month, justice_office=justice_office)


def _sign_checks(*, user: User, month: dt.date, justice_office: Agency | None):
    check_may_sign_months(user)
    first = month.replace(day=1)
    if first >= office_today().replace(day=1):
        raise ValidationError(
            {"month": [_("Only a month that has ended can be signed off.")]}, code="month_not_ended"
        )
    supervisees, office = report_scope(
        user=user, justice_office_id=justice_office.pk if justice_office is not None else None
    )
    conflict = _("The statistics of %(month)s are already signed off for this scope.") % {
        "month": first.strftime("%Y-%m")
    }
    # The unique constraint decides a race; this check answers the common case without a failed insert.
    if MonthlySnapshot.objects.filter(
        district_id=user.agency.district_id, month=first, justice_office=office
    ).exists():
        raise StateConflict(conflict)
    return first, supervisees, office, conflict


def monthly_statistics_export_record(
    *, user: User, month: dt.date, office: Agency | None, export_format: str, ip_address: str | None = None
) -> None:
    """docs/rules.md#exports-and-imports: every export is audited with who, when and what."""
    audit_record(
        actor=user,
        action=AuditAction.EXPORT,
        target_type=EXPORT_TARGET,
        target_id=month.strftime("%Y-%m"),
        changes={
            "month": month.strftime("%Y-%m"),
            "justice_office": office.pk if office else None,
            "format": export_format,
        },
        ip_address=ip_address,
    )


# --- ledger import ---------------------------------------------------------------------------------


def _file_changed() -> str:
    return _("The stored file has changed since it was checked. Upload it again.")


def check_may_import(user: User) -> None:
    """Officers import for their own office, supervisors for the district: whoever registers cases."""
    if getattr(user, "role", None) not in EDITING_ROLES or not user.agency_id:
        raise PermissionDenied(_("Your role does not register cases."))
    if user.is_city_level:
        raise PermissionDenied(CITY_LEVEL_REFUSAL)


def _error(row: int | None, column: str, field: str, message: str) -> dict[str, Any]:
    return {"row": row, "column": column, "field": field, "message": str(message)}


class _RowsRefused(Exception):
    def __init__(self, errors: list[dict[str, Any]]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def _register_rows(
    *, ledger: Ledger, by: User, on_progress: Callable[[int], None] | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Register every row through corrections.services.supervisee_register (the one way a case file
    is opened, with all its rules and its audit row). Each row runs in its own savepoint, so a refused
    row leaves nothing behind and the next rows still run and see the earlier ones (a case number or a
    person twice in one file is refused like one already registered). The caller's transaction decides
    whether any of it is kept: the dry run rolls it all back.

    Returns (what was created, per row; every error, per row and column)."""
    converter = Converter(user=by)
    # A cell holding a NUL is refused by the converter; PostgreSQL could not even look it up.
    case_numbers = [
        number
        for row in ledger.rows
        if "\x00" not in (number := str(row.values.get("case_number") or "").strip())
    ]
    registered = set(
        Supervisee.objects.filter(case_number__in=[n for n in case_numbers if n]).values_list(
            "case_number", flat=True
        )
    )
    first_row_of: dict[str, int] = {}
    created: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    for index, row in enumerate(ledger.rows, start=1):
        converter.convert(row)
        row_errors: dict[str, list[str]] = {key: list(messages) for key, messages in row.errors.items()}
        number = row.fields.get("case_number", "")
        duplicate = ""
        if number in registered:
            duplicate = _("This case number is already registered.")
        elif number in first_row_of:
            duplicate = _("The same case number is on row %(row)s.") % {"row": first_row_of[number]}
        first_row_of.setdefault(number, row.number)
        try:
            supervisee = supervisee_register(
                by=by, fields=row.fields, sentence=row.sentence, prohibitions=row.prohibitions
            )
        except ValidationError as error:
            # A refusal that names no field (a plain message) is the row's, not a column's.
            by_field = (
                error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
            )
            for key, messages in by_field.items():
                # A cell that could not be read already says why; the service's "required" adds nothing.
                if key not in row.errors:
                    row_errors.setdefault(key, []).extend(messages)
        else:
            created.append(
                {
                    "row": row.number,
                    "id": supervisee.pk,
                    "case_number": supervisee.case_number,
                    "name": supervisee.name,
                    "category": supervisee.sentence.category,
                    "justice_office": supervisee.justice_office.name,
                    "start_date": supervisee.sentence.start_date.isoformat(),
                    "end_date": supervisee.sentence.end_date.isoformat()
                    if supervisee.sentence.end_date
                    else None,
                }
            )
        if duplicate:
            row_errors["case_number"] = [duplicate]
        if set(row_errors) - DERIVED_FIELDS:
            # "Start of correction is required" only repeats that the inputs of the period were wrong.
            row_errors = {key: messages for key, messages in row_errors.items() if key not in DERIVED_FIELDS}
        for key, messages in row_errors.items():
            column = "" if key == NON_FIELD_ERRORS else ledger.column(key)
            for message in dict.fromkeys(messages):
                errors.append(_error(row.number, column, key, message))
        if on_progress and index % PROGRESS_EVERY == 0:
            on_progress(index)
    return created, errors


def _read(ledger_import: LedgerImport) -> bytes:
    with ledger_import.file.open("rb") as stored:
        return stored.read()


def _check_file(ledger_import: LedgerImport) -> tuple[Ledger | None, list[dict[str, Any]]]:
    try:
        ledger = read_ledger(content=_read(ledger_import), filename=ledger_import.original_name)
    except LedgerFileError as error:
        return None, [_error(None, "", "", str(error))]
    if not ledger.rows:
        return None, [_error(None, "", "", _("The file has a header row but no cases."))]
    return ledger, []


def ledger_import_upload(*, by: User, upload: UploadedFile) -> LedgerImport:
    """Store the upload and check it (a dry run: every row through the registration service, then
    rolled back). Nothing is registered until the uploader confirms."""
    check_may_import(by)
    content = upload.read()
    ledger_import = LedgerImport(
        uploaded_by=by,
        original_name=(upload.name or "ledger")[-200:],
        sha256=hashlib.sha256(content).hexdigest(),
    )
    ledger_import.file.save(ledger_import.original_name, ContentFile(content), save=False)
    ledger_import.save()
    return ledger_import_check(ledger_import=ledger_import)


def ledger_import_check(*, ledger_import: LedgerImport) -> LedgerImport:
    ledger, errors = _check_file(ledger_import)
    created: list[dict[str, Any]] = []
    if ledger is not None:
        ledger_import.rows = len(ledger.rows)
        ledger_import.ignored_columns = ledger.unknown_headers
        with transaction.atomic():
            created, errors = _register_rows(ledger=ledger, by=ledger_import.uploaded_by)
            # The dry run: whatever the rows wrote (cases, sentences, audit rows) is undone.
            transaction.set_rollback(True)
    ledger_import.errors = errors
    ledger_import.preview = [] if errors else [{k: v for k, v in c.items() if k != "id"} for c in created]
    ledger_import.status = LedgerImportStatus.FAILED if errors else LedgerImportStatus.VALIDATED
    ledger_import.save(update_fields=["rows", "ignored_columns", "errors", "preview", "status"])
    return ledger_import


def ledger_import_confirm(*, ledger_import: LedgerImport, by: User, sha256: str) -> LedgerImport:
    """The uploader confirms the checked file (`sha256` is the token the check page carries). Small
    files are imported now; large ones are queued for the worker. Confirming twice does nothing more."""
    check_may_import(by)
    with transaction.atomic():
        ledger_import = LedgerImport.objects.select_for_update().get(pk=ledger_import.pk)
        if ledger_import.uploaded_by_id != by.pk:
            raise PermissionDenied(_("Only the person who uploaded a ledger confirms it."))
        if ledger_import.status in (LedgerImportStatus.IMPORTING, LedgerImportStatus.IMPORTED):
            return ledger_import
        if ledger_import.status != LedgerImportStatus.VALIDATED:
            raise StateConflict(_("This ledger has errors; correct the file and upload it again."))
        if sha256 != ledger_import.sha256:
            raise ValidationError(
                {"sha256": [_("This is not the file that was checked. Upload the ledger again.")]}
            )
        if hashlib.sha256(_read(ledger_import)).hexdigest() != ledger_import.sha256:
            ledger_import.status = LedgerImportStatus.FAILED
            ledger_import.errors = [_error(None, "", "", _file_changed())]
            ledger_import.save(update_fields=["status", "errors"])
            return ledger_import
        ledger_import.status = LedgerImportStatus.IMPORTING
        ledger_import.queued_at = timezone.now()
        ledger_import.save(update_fields=["status", "queued_at"])
        inline = ledger_import.rows <= INLINE_IMPORT_ROWS
        if not inline:
            from .tasks import ledger_import_run

            # The worker picks it up after this commit; if the broker is down the row stays queued and
            # is enqueued again when its page is looked at (ledger_import_nudge).
            enqueue_on_commit(ledger_import_run, ledger_import.pk)
    if inline:
        return ledger_import_execute(ledger_import_id=ledger_import.pk)
    return ledger_import


class _ProgressWriter:
    """Writes the rows done onto the LedgerImport row while the import's own transaction is still open,
    through a second connection, so the status page sees it. PostgreSQL only: SQLite (the embedded
    default) has one writer at a time, so there the count appears when the import commits."""

    def __init__(self, ledger_import_id: int):
        self.ledger_import_id = ledger_import_id
        self.side = connections.create_connection("default") if connection.vendor == "postgresql" else None

    def __call__(self, done: int) -> None:
        if self.side is None:
            return
        table = LedgerImport._meta.db_table
        with self.side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET progress = %s WHERE id = %s",  # noqa: S608 (table name is ours)
                [done, self.ledger_import_id],
            )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def ledger_import_execute(*, ledger_import_id: int, report_progress: bool = False) -> LedgerImport:
    """Import a confirmed ledger: every row in ONE transaction through supervisee_register (one audit
    row per case), then one `import` audit row. If any row is refused now (a case registered since the
    check), nothing is kept and the import is marked failed with the rows named. Idempotent: a run on
    an import that is not waiting to run returns it unchanged."""
    LedgerImport.objects.filter(
        pk=ledger_import_id, status=LedgerImportStatus.IMPORTING, started_at__isnull=True
    ).update(started_at=timezone.now())
    progress = _ProgressWriter(ledger_import_id) if report_progress else None
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # Two runs of one import (a redelivered task) wait here for each other; the second
                # then finds it imported. An advisory lock, not a row lock: the progress writer updates
                # the row meanwhile from its own connection.
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT pg_advisory_xact_lock(%s, %s)", [IMPORT_LOCK_NAMESPACE, ledger_import_id]
                    )
            ledger_import = LedgerImport.objects.select_related("uploaded_by__agency").get(
                pk=ledger_import_id
            )
            if ledger_import.status != LedgerImportStatus.IMPORTING:
                return ledger_import
            if hashlib.sha256(_read(ledger_import)).hexdigest() != ledger_import.sha256:
                raise _RowsRefused([_error(None, "", "", _file_changed())])
            ledger, errors = _check_file(ledger_import)
            if errors:
                raise _RowsRefused(errors)
            created, errors = _register_rows(
                ledger=ledger, by=ledger_import.uploaded_by, on_progress=progress
            )
            if errors:
                raise _RowsRefused(errors)
            ledger_import.status = LedgerImportStatus.IMPORTED
            ledger_import.progress = len(created)
            ledger_import.finished_at = timezone.now()
            ledger_import.preview = list(created)
            ledger_import.save(update_fields=["status", "progress", "finished_at", "preview"])
            audit_record(
                actor=ledger_import.uploaded_by,
                action=AuditAction.IMPORT,
                target=ledger_import,
                changes={
                    "file": ledger_import.original_name,
                    "sha256": ledger_import.sha256,
                    "rows": len(created),
                    "case_numbers": [c["case_number"] for c in created],
                },
            )
            return ledger_import
    except _RowsRefused as refused:
        LedgerImport.objects.filter(pk=ledger_import_id, status=LedgerImportStatus.IMPORTING).update(
            status=LedgerImportStatus.FAILED, errors=refused.errors, progress=0, finished_at=timezone.now()
        )
        return LedgerImport.objects.get(pk=ledger_import_id)
    finally:
        if progress is not None:
            progress.close()


def ledger_import_nudge(*, ledger_import: LedgerImport) -> bool:
    """Enqueue again an import queued long ago and never started (the broker was down when it was
    confirmed, or the message was lost). Safe: the task does nothing for an import not waiting."""
    now = timezone.now()
    stale = LedgerImport.objects.filter(
        pk=ledger_import.pk,
        status=LedgerImportStatus.IMPORTING,
        started_at__isnull=True,
        queued_at__lt=now - REQUEUE_AFTER,
    ).update(queued_at=now)
    if stale:
        from .tasks import ledger_import_run

        enqueue_on_commit(ledger_import_run, ledger_import.pk)
    return bool(stale)


def data_export_record(
    *,
    user: User,
    target_type: str,
    filters: dict[str, Any],
    rows: int,
    export_format: str,
    ip_address: str | None = None,
) -> None:
    """docs/rules.md#exports-and-imports: every export is audited with who, when, what was asked and how
    much left; a search by ID number is kept masked, as the caseload's search is
    (docs/roles.md#need-to-know)."""
    asked = {k: str(v) for k, v in filters.items() if v not in (None, "")}
    if "q" in asked:
        asked["q"] = mask_search_text(asked["q"])
    audit_record(
        actor=user,
        action=AuditAction.EXPORT,
        target_type=target_type,
        changes={
            "filters": asked,
            "rows": rows,
            "format": export_format,
        },
        ip_address=ip_address,
    )
