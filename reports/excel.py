"""The monthly statistics as an Excel workbook (openpyxl): a "Figures" sheet and a "Breakdowns" sheet,
headers in the reader's language, the month and the office in the title.

Text that comes from records (an office's name) could start with `=`, `+`, `-` or `@` and would then
run as a formula when the file is opened (CSV/formula injection, OWASP); every text cell goes through
`safe_text`, which makes such a value plain text.
"""

import datetime as dt
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .labels import breakdown_sections, figure_rows

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", fgColor="EEF2F7")
SECTION_FILL = PatternFill("solid", fgColor="D9E2EC")


def safe_text(value: str) -> str:
    """A text Excel will show as written, never evaluate."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def workbook_title(*, month: dt.date, scope_name: str) -> str:
    return _("Monthly statistics of community correction — %(scope)s — %(month)s") % {
        "scope": scope_name,
        "month": month.strftime("%Y-%m"),
    }


def _title(sheet: Worksheet, title: str, columns: int) -> None:
    sheet.append([safe_text(title)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(vertical="center")
    sheet.row_dimensions[1].height = 24
    sheet.append([])


def _header(sheet: Worksheet, labels: list[str], fill: PatternFill = HEADER_FILL) -> None:
    sheet.append([safe_text(label) for label in labels])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.fill = fill


def _widths(sheet: Worksheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def monthly_workbook(*, statistics: dict, month: dt.date, scope_name: str) -> bytes:
    """The workbook's bytes. The numbers are those of `statistics` (the JSON of the same request)."""
    title = workbook_title(month=month, scope_name=scope_name)
    book = Workbook()
    figures = book.active
    figures.title = safe_text(_("Figures"))[:31]
    _title(figures, title, 3)
    _header(figures, [_("Figure"), _("Value"), _("Key")])
    for key, label, value in figure_rows(statistics):
        figures.append([safe_text(label), value, key])
        if key == "report_compliance":
            figures.cell(row=figures.max_row, column=2).number_format = "0.00%"
        elif key in ("exits", "closing"):
            for cell in figures[figures.max_row]:
                cell.font = Font(bold=True)
    _widths(figures, [58, 14, 24])
    figures.freeze_panes = "A4"

    breakdowns = book.create_sheet(safe_text(_("Breakdowns"))[:31])
    _title(breakdowns, title, 3)
    for key, section_title, rows in breakdown_sections(statistics):
        _header(
            breakdowns, [section_title, _("Under correction at the end of the month"), _("Key")], SECTION_FILL
        )
        for code, label, count in rows:
            breakdowns.append([safe_text(label), count, f"{key}.{code}"])
        breakdowns.append([_("Total"), sum(count for _code, _label, count in rows), key])
        breakdowns.cell(row=breakdowns.max_row, column=1).font = Font(bold=True)
        breakdowns.cell(row=breakdowns.max_row, column=2).font = Font(bold=True)
        breakdowns.append([])
    _widths(breakdowns, [48, 22, 40])

    for sheet in (figures, breakdowns):
        sheet.print_title_rows = "1:1"
        sheet.page_setup.orientation = "portrait"
    book.properties.title = title
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
