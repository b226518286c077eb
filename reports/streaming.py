"""Files written as they are sent: CSV, and xlsx workbooks whose sheets are XML written row by row inside
a ZIP archive that is itself streamed (issue 14: the district's caseload export was built whole in memory,
344 s and 3.9 GB before the first byte at 700,000 cases).

Why this way: openpyxl (even in write-only mode) and XlsxWriter (constant_memory) both finish the file
on disk or in memory before it can be sent, since a ZIP's sizes and checksums were thought to come first.
A ZIP member may instead be followed by a data descriptor, which is what `stream-zip` (PyPI, by the UK's
Department for Business and Trade, maintained and released through 2026) writes: it takes an iterable
of bytes per member and yields the archive's bytes as they are compressed, so memory stays flat (one
chunk and one row at a time) and the first bytes leave at once. An xlsx is such a ZIP of a few fixed XML
parts and one XML part per sheet (ECMA-376 SpreadsheetML); the sheets use inline strings, so no
shared-string table has to be gathered first. openpyxl and Excel read the result (tests read it back).

`xlsx_stream` knows only what the project's workbooks use: text, numbers and dates; a few fixed styles
(bold, the header fills, a title, a percentage); column widths, a frozen header, merged title cells and
print titles.
"""

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter
from stream_zip import ZIP_32, stream_zip

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Cell styles: the index of each in styles.xml's cellXfs (below).
PLAIN, BOLD, HEADER, SECTION, TITLE, PERCENT, DATE = range(7)
# Characters XML 1.0 cannot carry (openpyxl refuses them too): dropped from text.
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
EXCEL_EPOCH = dt.date(1899, 12, 30)
# Rows gathered into one piece of bytes before it goes to the compressor (fewer, larger chunks).
ROWS_PER_CHUNK = 200


@dataclass(frozen=True)
class Cell:
    """A value with a style (one of the indexes above)."""

    value: object
    style: int = PLAIN


@dataclass
class Row:
    cells: list
    style: int | None = None  # a style for every cell that has none of its own
    height: float | None = None


@dataclass
class Sheet:
    name: str
    rows: Iterable  # of Row, or of plain lists of values
    widths: list[float] = field(default_factory=list)
    freeze_rows: int = 0  # the rows above this line stay in view
    merges: list[str] = field(default_factory=list)  # e.g. "A1:C1"
    print_title_rows: str = ""  # e.g. "1:1"


def sheet_name(text: str) -> str:
    """A name Excel accepts for a sheet: at most 31 characters, none of []:*?/\\."""
    return SHEET_NAME_FORBIDDEN.sub(" ", str(text))[:31] or "Sheet"


def _quoted(name: str) -> str:
    """A sheet's name as a formula refers to it: in single quotes, a quote inside doubled."""
    return "'" + sheet_name(name).replace("'", "''") + "'"


def _cell_xml(reference: str, value, style: int) -> str:
    attributes = f' r="{reference}"' + (f' s="{style}"' if style else "")
    if value is None or value == "":
        return f"<c{attributes}/>" if style else ""
    if isinstance(value, bool):
        return f'<c{attributes} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f"<c{attributes}><v>{value}</v></c>"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        style = style or DATE
        return f'<c r="{reference}" s="{style}"><v>{(value - EXCEL_EPOCH).days}</v></c>'
    text = escape(ILLEGAL_XML.sub("", str(value)))
    return f'<c{attributes} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _row_xml(number: int, row) -> str:
    if not isinstance(row, Row):
        row = Row(list(row))
    cells = []
    for index, value in enumerate(row.cells, start=1):
        style = row.style or PLAIN
        if isinstance(value, Cell):
            value, style = value.value, value.style
        cells.append(_cell_xml(f"{get_column_letter(index)}{number}", value, style))
    height = f' ht="{row.height}" customHeight="1"' if row.height else ""
    return f'<row r="{number}"{height}>{"".join(cells)}</row>'


def _sheet_xml(sheet: Sheet) -> Iterator[bytes]:
    head = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    ]
    if sheet.freeze_rows:
        top = f"A{sheet.freeze_rows + 1}"
        head.append(
            '<sheetViews><sheetView workbookViewId="0">'
            f'<pane ySplit="{sheet.freeze_rows}" topLeftCell="{top}" activePane="bottomLeft" state="frozen"/>'
            f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>'
            "</sheetView></sheetViews>"
        )
    if sheet.widths:
        columns = "".join(
            f'<col min="{index}" max="{index}" width="{width}" customWidth="1"/>'
            for index, width in enumerate(sheet.widths, start=1)
        )
        head.append(f"<cols>{columns}</cols>")
    head.append("<sheetData>")
    yield "".join(head).encode()
    chunk: list[str] = []
    for number, row in enumerate(sheet.rows, start=1):
        chunk.append(_row_xml(number, row))
        if len(chunk) >= ROWS_PER_CHUNK:
            yield "".join(chunk).encode()
            chunk = []
    tail = ["".join(chunk), "</sheetData>"]
    if sheet.merges:
        merges = "".join(f'<mergeCell ref="{reference}"/>' for reference in sheet.merges)
        tail.append(f'<mergeCells count="{len(sheet.merges)}">{merges}</mergeCells>')
    tail.append(
        '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
        '<pageSetup orientation="portrait"/></worksheet>'
    )
    yield "".join(tail).encode()


STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="14"/><name val="Calibri"/></font></fonts>'
    '<fills count="4"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="00EEF2F7"/></patternFill></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="00D9E2EC"/></patternFill></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="7">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'  # PLAIN
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'  # BOLD
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>'  # HEADER
    '<xf numFmtId="0" fontId="1" fillId="3" borderId="0" xfId="0" applyFont="1" applyFill="1"/>'  # SECTION
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment vertical="center"/></xf>'  # TITLE
    '<xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'  # PERCENT
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'  # DATE
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _fixed_parts(sheets: list[Sheet], title: str) -> list[tuple[str, str]]:
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{index}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for index in range(1, len(sheets) + 1)
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        f"{overrides}</Types>"
    )
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" '
        'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
        'Target="docProps/core.xml"/></Relationships>'
    )
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        "<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{escape(ILLEGAL_XML.sub('', title))}</dc:title></cp:coreProperties>"
    )
    sheet_entries = "".join(
        f'<sheet name={quoteattr(sheet_name(sheet.name))} sheetId="{index}" r:id="rId{index}"/>'
        for index, sheet in enumerate(sheets, start=1)
    )
    names = "".join(
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">'
        f"{escape(_quoted(sheet.name))}!${sheet.print_title_rows.replace(':', ':$')}</definedName>"
        for index, sheet in enumerate(sheets)
        if sheet.print_title_rows
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"<sheets>{sheet_entries}</sheets>"
        + (f"<definedNames>{names}</definedNames>" if names else "")
        + "</workbook>"
    )
    sheet_rels = "".join(
        f'<Relationship Id="rId{index}" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        f'Target="worksheets/sheet{index}.xml"/>'
        for index in range(1, len(sheets) + 1)
    )
    workbook_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{sheet_rels}"
        f'<Relationship Id="rId{len(sheets) + 1}" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
        'Target="styles.xml"/></Relationships>'
    )
    return [
        ("[Content_Types].xml", content_types),
        ("_rels/.rels", root_rels),
        ("docProps/core.xml", core),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", workbook_rels),
        ("xl/styles.xml", STYLES),
    ]


def xlsx_stream(
    sheets: list[Sheet], *, title: str = "", modified_at: dt.datetime | None = None
) -> Iterator[bytes]:
    """The workbook's bytes, as they are made. The fixed parts come first, so the first bytes leave
    before any sheet's rows are read; each sheet's rows are read as they are written."""
    modified_at = modified_at or dt.datetime(2000, 1, 1)
    members = [
        (name, modified_at, 0o600, ZIP_32, (text.encode(),)) for name, text in _fixed_parts(sheets, title)
    ]
    members += [
        (f"xl/worksheets/sheet{index}.xml", modified_at, 0o600, ZIP_32, _sheet_xml(sheet))
        for index, sheet in enumerate(sheets, start=1)
    ]
    # ZIP_32: every member stays under 4 GiB (a 700,000-row caseload sheet is about 300 MB of XML), and
    # Zip64 records are what some spreadsheet programs stumble on.
    return stream_zip(members)


def csv_stream(rows: Iterable[list]) -> Iterator[bytes]:
    """CSV bytes, a block of rows at a time, after a UTF-8 BOM so that Excel opens the Chinese text as
    UTF-8 instead of the system's code page."""
    yield codecs.BOM_UTF8
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for count, row in enumerate(rows, start=1):
        writer.writerow(row)
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")
