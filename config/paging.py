"""Pages of long lists whose rows are costly to read in full (joins, prefetches, computed columns)."""

from functools import partial

from django.core.paginator import Paginator
from django.db.models import QuerySet

from .api import Pagination


def page_of(queryset: QuerySet, bottom: int, top: int, *, rows: QuerySet | None = None) -> QuerySet:
    """`queryset[bottom:top]`, its rows read in full only for the page: the page's ids are chosen by a
    narrow copy of the query (its filters and order, without its joins, prefetches and the computed
    columns its order does not use) and the full rows of those ids are read, in the same one query
    (`pk IN (SELECT id ... ORDER BY ... LIMIT n OFFSET m) ORDER BY ...`). Slicing the full query instead
    made PostgreSQL join, and sort wide, every row of the scope (an office's 2,400 cases, a district's
    15,000) to keep 50 (benchmarks/README.md, issue 14), as the hand-written SQL does not.

    `rows`, where the queryset's own filters would mislead the planner on the page's rows: the same rows
    as the queryset shows them (related rows, order) without its filters, the page's ids (chosen by the
    queryset, scope included) their only one. A scope given as an array of ids (config.sql.AmongIds) is
    taken for ten ids, and PostgreSQL read the page's 50 alerts back through the district's 15,000 cases
    instead of by their primary keys."""
    ids = queryset.select_related(None).prefetch_related(None).values("pk")[bottom:top]
    return (queryset if rows is None else rows).filter(pk__in=ids)


class PageFirstPaginator(Paginator):
    """Django's Paginator, each page read with `page_of` (and its `rows`). The count is the queryset's
    own `count()`, which leaves out the joins and the computed columns that no filter uses."""

    def __init__(self, object_list, per_page, *args, rows: QuerySet | None = None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.rows = rows

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(page_of(self.object_list, bottom, top, rows=self.rows), number, self)


class PageFirstPagination(Pagination):
    """The API's pagination (config.api.Pagination) over `PageFirstPaginator`, with the `rows` the view's
    `page_rows()` gives, if it has one."""

    def paginate_queryset(self, queryset, request, view=None):
        page_rows = getattr(view, "page_rows", None)
        self.django_paginator_class = partial(PageFirstPaginator, rows=page_rows() if page_rows else None)
        return super().paginate_queryset(queryset, request, view)
