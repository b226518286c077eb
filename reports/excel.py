"""The monthly statistics as an Excel workbook: a "Figures" sheet and a "Breakdowns" sheet, headers in
the reader's language, the month and the office in the title. Written as it is sent
(reports.streaming.xlsx_stream): the workbook's fixed parts leave before the figures are counted, so the
first byte does not wait for the statistics (issue 14).

Text that comes from records (an office's name) could start with `=`, `+`, `-` or `@` and would then
run as a formula when the file is opened (CSV/formula injection, OWASP); every text cell goes through
`safe_text`, which makes such a value plain text.
"""

import datetime as dt
from collections.abc import Callable, Iterator

from django.utils import translation
from django.utils.translation import gettext as _

from .labels import breakdown_sections, figure_rows
from .streaming import BOLD, HEADER, PERCENT, SECTION, TITLE, XLSX_CONTENT_TYPE, Cell, Row, Sheet, xlsx_stream

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPE = XLSX_CONTENT_TYPE


def safe_text(value: str) -> str:
    """A text Excel will show as written, never evaluate."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def workbook_title(*, month: dt.date, scope_name: str) -> str:
    return _("Monthly statistics of community correction — %(scope)s — %(month)s") % {
        "scope": scope_name,
        "month": month.strftime("%Y-%m"),
    }


def _title_rows(title: str) -> list[Row]:
    return [Row([Cell(safe_text(title), TITLE)], height=24), Row([])]


def _figure_rows(statistics: dict, title: str) -> Iterator[Row]:
    yield from _title_rows(title)
    yield Row([safe_text(_("Figure")), safe_text(_("Value")), safe_text(_("Key"))], style=HEADER)
    for key, label, value in figure_rows(statistics):
        if key == "report_compliance":
            yield Row([safe_text(label), Cell(value, PERCENT), key])
        else:
            yield Row([safe_text(label), value, key], style=BOLD if key in ("exits", "closing") else None)


def _breakdown_rows(statistics: dict, title: str) -> Iterator[Row]:
    yield from _title_rows(title)
    for key, section_title, rows in breakdown_sections(statistics):
        yield Row(
            [safe_text(section_title), safe_text(_("Under correction at the end of the month")), _("Key")],
            style=SECTION,
        )
        for code, label, count in rows:
            yield Row([safe_text(label), count, f"{key}.{code}"])
        total = sum(count for _code, _label, count in rows)
        yield Row([Cell(_("Total"), BOLD), Cell(total, BOLD), key])
        yield Row([])


class _Once:
    """The statistics, counted the first time a sheet asks for them (after the fixed parts are sent)."""

    def __init__(self, count: Callable[[], dict]):
        self.count, self.value = count, None

    def __call__(self) -> dict:
        if self.value is None:
            self.value = self.count()
        return self.value


def _lazy(rows: Callable[[dict, str], Iterator[Row]], statistics: Callable[[], dict], title: str):
    # Written after the view has returned: in the language of the request, captured now.
    language = translation.get_language()

    def written():
        with translation.override(language):
            yield from rows(statistics(), title)

    return written()


def monthly_workbook_stream(
    *, statistics: Callable[[], dict] | dict, month: dt.date, scope_name: str
) -> Iterator[bytes]:
    """The workbook's bytes as they are made. `statistics`: the figures (the JSON of the same request),
    or a function that counts them, called once, when the first sheet is written."""
    title = workbook_title(month=month, scope_name=scope_name)
    figures = _Once(statistics if callable(statistics) else lambda: statistics)
    sheets = [
        Sheet(
            name=safe_text(_("Figures")),
            rows=_lazy(_figure_rows, figures, title),
            widths=[58, 14, 24],
            freeze_rows=3,
            merges=["A1:C1"],
            print_title_rows="1:1",
        ),
        Sheet(
            name=safe_text(_("Breakdowns")),
            rows=_lazy(_breakdown_rows, figures, title),
            widths=[48, 22, 40],
            merges=["A1:C1"],
            print_title_rows="1:1",
        ),
    ]
    return xlsx_stream(sheets, title=title)


def monthly_workbook(*, statistics: dict, month: dt.date, scope_name: str) -> bytes:
    """The whole workbook's bytes (for a caller that keeps the file, e.g. a test)."""
    return b"".join(monthly_workbook_stream(statistics=statistics, month=month, scope_name=scope_name))
