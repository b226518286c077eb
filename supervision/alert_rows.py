"""What an alert rule returns to the sweep (supervision.sweep): the rows it raises, as a queryset the sweep
turns into one `INSERT ... SELECT` (never loaded into Python). Its own module so that the modules whose
rules the sweep registers (supervision.medical) can use it without importing the sweep."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import DateField, Expression, F, QuerySet, Value


@dataclass(frozen=True)
class AlertRows:
    """The rows a rule raises: `queryset` (any model), `supervisee` the path from its model to the
    supervisee ("" when the model is Supervisee), `due` the due date (an expression or a field name)."""

    queryset: QuerySet
    due: Expression | str
    supervisee: str = ""

    def _path(self, to: str) -> str:
        return f"{self.supervisee}__{to}" if self.supervisee else to

    def select(self, *, district_id: int | None) -> QuerySet:
        """`(supervisee id, due date)` as a queryset, of one district's cases (None: every case), without
        ordering."""
        rows = self.queryset.order_by()
        if district_id is not None:
            rows = rows.filter(**{self._path("justice_office__district_id"): district_id})
        due = F(self.due) if isinstance(self.due, str) else self.due
        # F("supervisee") on a foreign key is its id column: no join for the rule's own key.
        return rows.values(alert_supervisee=F(self.supervisee or "pk"), alert_due=due)

    def __iter__(self) -> Iterator[tuple[int, dt.date]]:
        """The rows as `(supervisee id, due date)` pairs, for a test or a shell; the sweep never loads
        them."""
        return iter(self.select(district_id=None).values_list("alert_supervisee", "alert_due"))


def alert_rows(queryset: QuerySet, *, due: Expression | str, supervisee: str = "") -> AlertRows:
    return AlertRows(queryset=queryset, due=due, supervisee=supervisee)


def on_day(day: dt.date) -> Value:
    """A fixed due date, as an expression (a rule whose every row is due the same day)."""
    return Value(day, output_field=DateField())
