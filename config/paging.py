"""Pages of long lists whose rows are costly to read in full (joins, prefetches, computed columns)."""

from functools import partial

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, QuerySet, Window

from .api import Pagination


def page_ids(queryset: QuerySet, bottom: int, top: int) -> tuple[list, int]:
    """The ids of `queryset[bottom:top]` and the number of rows of the whole queryset, in one narrow
    query: its filters and order, without its joins, prefetches and the computed columns its order does
    not use, and the count as a window over the same rows (`COUNT(*) OVER ()`), so that the scope is
    read once for both, as the hand-written SQL does (`(SELECT count(*) FROM cases)`). (0 for a page
    with no rows: the caller asks `count()` if it needs to know more.)"""
    narrow = queryset.select_related(None).prefetch_related(None)
    found = list(narrow.annotate(page_total=Window(Count("pk"))).values_list("pk", "page_total")[bottom:top])
    return [pk for pk, _total in found], (found[0][1] if found else 0)


class PageFirstPaginator(Paginator):
    """Django's Paginator for lists whose rows are costly to read in full (joins, prefetches, computed
    columns): a page's ids and the count come from one narrow query (`page_ids`), then the full rows
    of those ids alone, from the queryset, or from `rows` where the queryset's own filters would mislead
    the planner on those few rows. Slicing the full query instead made PostgreSQL join, and sort wide,
    every row of the scope (an office's 2,400 cases, a district's 15,000) to keep 50, and count them
    again apart (benchmarks/README.md, issue 14).

    `rows`: the same rows as the queryset shows them (related rows, order) without its filters; the
    page's ids, chosen by the queryset (scope included), are then its only filter. A scope given as an
    array of ids (config.sql.AmongIds) is taken for ten ids, and PostgreSQL read the page's 50 alerts
    back through the district's 15,000 cases instead of by their primary keys.

    Same pages, counts and errors as Django's Paginator (orphans aside: not supported); a page past the
    last costs a count as well."""

    def __init__(self, object_list, per_page, *args, rows: QuerySet | None = None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        if self.orphans:
            raise ValueError("PageFirstPaginator does not keep orphans")
        self.rows = rows

    def get_page(self, number):
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(self.num_pages)

    def page(self, number):
        # Django's checks of the number, but the last page's: that one needs the count, which comes with
        # the page's ids below.
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from error
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        bottom = (number - 1) * self.per_page
        ids, total = page_ids(self.object_list, bottom, bottom + self.per_page)
        if ids or (number == 1 and self.allow_empty_first_page):
            self.__dict__["count"] = total  # Paginator.count is a cached_property
        else:
            number = self.validate_number(number)  # past the last page (or no empty first page): counts
        full = self.object_list if self.rows is None else self.rows
        return self._get_page(full.filter(pk__in=ids), number, self)


class PageFirstPagination(Pagination):
    """The API's pagination (config.api.Pagination) over `PageFirstPaginator`, with the `rows` the view's
    `page_rows()` gives, if it has one."""

    def paginate_queryset(self, queryset, request, view=None):
        page_rows = getattr(view, "page_rows", None)
        self.django_paginator_class = partial(PageFirstPaginator, rows=page_rows() if page_rows else None)
        return super().paginate_queryset(queryset, request, view)
