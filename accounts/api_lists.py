"""List endpoints whose every answered read is audited (API.md "Need to know": list reads are audited
as well, `list` with the filters)."""

from typing import Any

from .receivers import client_ip
from .services import list_read_record


class AuditedListMixin:
    """For a DRF list view: after the page is answered, one `list` audit row with the filters the view
    parsed (`self.filters`, set by `get_queryset`), tied to the case when the list is of one case.
    A refused request (a bad filter, a page that does not exist) raises before and writes nothing."""

    audit_target_type: str = ""
    filters: dict[str, Any]

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        filters = getattr(self, "filters", {})
        list_read_record(
            user=request.user,
            target_type=self.audit_target_type,
            filters=filters,
            supervisee_id=filters.get("supervisee"),
            ip_address=client_ip(request),
        )
        return response
