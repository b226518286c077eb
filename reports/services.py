"""Every write of the reports app: the audit row of an export."""

import datetime as dt

from accounts.constants import AuditAction
from accounts.models import Agency, User
from accounts.services import audit_record

EXPORT_TARGET = "reports.monthly"


def monthly_statistics_export_record(
    *, user: User, month: dt.date, office: Agency | None, export_format: str, ip_address: str | None = None
) -> None:
    """PRODUCT.md "Privacy": every export is audited with who, when and what."""
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
