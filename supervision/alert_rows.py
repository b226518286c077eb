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
    # Only the rows due before this day, with the condition applied to the computed due date once, outside
    # the rule's query (supervision.sweep): a rule whose due date is costly (the reporting duty's
    # subqueries) would otherwise have it computed twice for every row it raises, once in WHERE and
    # again in SELECT, since Django writes an annotation out wherever it is used (issue 14).
    due_before: dt.date | None = None
    # And only those due on or after this day (the same, for a window of due dates).
    due_from: dt.date | None = None

    def _path(self, to: str) -> str:
        return f"{self.supervisee}__{to}" if self.supervisee else to

    def select(self, *, justice_offices: list[int] | None) -> QuerySet:
        """`(supervisee id, due date)` as a queryset, of the cases of these justice offices (None: every
        case), without ordering.

        A district's offices are given as a list of ids, not as a join to the agency table: PostgreSQL
        evaluates a table's own conditions where it scans the table, so behind a join a rule's costly
        condition (the reporting duty's subqueries) ran for every case of every district and the join
        dropped the other districts' after; `justice_office_id IN (...)` lets it scan one district's cases
        through the (justice_office, status) index and evaluate the costly condition on those only."""
        rows = self.queryset.order_by()
        if justice_offices is not None:
            rows = rows.filter(**{self._path("justice_office_id__in"): justice_offices})
        due = F(self.due) if isinstance(self.due, str) else self.due
        # F("supervisee") on a foreign key is its id column: no join for the rule's own key.
        return rows.values(alert_supervisee=F(self.supervisee or "pk"), alert_due=due)

    def __iter__(self) -> Iterator[tuple[int, dt.date]]:
        """The rows as `(supervisee id, due date)` pairs, for a test or a shell; the sweep never loads
        them."""
        rows = self.select(justice_offices=None)
        if self.due_before is not None:
            rows = rows.filter(alert_due__lt=self.due_before)
        if self.due_from is not None:
            rows = rows.filter(alert_due__gte=self.due_from)
        return iter(rows.values_list("alert_supervisee", "alert_due"))


def alert_rows(
    queryset: QuerySet,
    *,
    due: Expression | str,
    supervisee: str = "",
    due_before: dt.date | None = None,
    due_from: dt.date | None = None,
) -> AlertRows:
    return AlertRows(
        queryset=queryset, due=due, supervisee=supervisee, due_before=due_before, due_from=due_from
    )


def on_day(day: dt.date) -> Value:
    """A fixed due date, as an expression (a rule whose every row is due the same day)."""
    return Value(day, output_field=DateField())
