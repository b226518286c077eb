from .transfer_world import (  # noqa: F401
    agencies_b,
    bureau_b,
    district_b,
    office_b,
    receiving_officer,
    receiving_supervisor,
    transfer_case,
)
