"""Reading a ledger (台账) of supervisees: an .xlsx workbook or a UTF-8 CSV (with or without BOM), one
row per case, headers in Chinese (the ledger's own) or the API's field names.

This module only READS: it turns cells into the `fields` / `sentence` / `prohibitions` arguments of
corrections.services.supervisee_register, and reports what it cannot read (a date that is not a date, a
label that names no code). Every rule about what a lawful case is stays in that service; the import
service runs it on each row (reports.imports).

Row numbers are those the clerk sees in the spreadsheet: the header is row 1, the first case row 2.
"""

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.constants import AgencyKind, Role
from accounts.models import Agency, User
from corrections.constants import (
    Category,
    CrimeChapter,
    Education,
    Gender,
    HouseholdType,
    ManagementLevel,
    Penalty,
    TemporaryExecutionGround,
)

MAX_ROWS = 20000
MAX_BYTES = 10 * 1024 * 1024
HEADER_ROW = 1

# The ledger's columns: key (as supervisee_register names errors: `sentence.x` for the sentence) ->
# the headers that name it. The first is the one this system writes; the rest are what district ledgers
# are seen to use. Matching ignores full-width/half-width differences and spaces (NFKC).
COLUMNS: dict[str, tuple[str, ...]] = {
    "case_number": ("案件编号", "矫正编号"),
    "name": ("姓名",),
    "gender": ("性别",),
    "id_number": ("身份证号码", "身份证号", "公民身份号码"),
    "ethnicity": ("民族",),
    "education": ("文化程度",),
    "employment": ("就业就学情况", "就业情况"),
    "phone": ("联系电话", "电话"),
    "residence_address": ("居住地", "现居住地"),
    "household_address": ("户籍地", "户籍所在地"),
    "household_type": ("户籍类型",),
    "crime": ("罪名",),
    "crime_chapter": ("犯罪类型",),
    "management_level": ("管理等级",),
    "justice_office": ("司法所",),
    "officer": ("责任人", "矫正负责人"),
    "sentence.category": ("矫正类别",),
    "sentence.penalty": ("主刑",),
    "sentence.original_term_months": ("原判刑期（月）",),
    "sentence.probation_term_months": ("缓刑考验期（月）", "缓刑考验期限（月）"),
    "sentence.combined_crimes": ("数罪并罚",),
    "sentence.prior_custody_days": ("先行羁押天数", "判决执行前先行羁押天数"),
    "sentence.deciding_agency": ("决定机关",),
    "sentence.document_number": ("文书编号", "法律文书编号"),
    "sentence.judgment_date": ("判决日期",),
    "sentence.effective_date": ("生效日期", "判决生效日期"),
    "sentence.release_date": ("释放日期",),
    "sentence.original_term_end": ("原刑期届满日", "原判刑期届满日"),
    "sentence.temporary_execution_ground": ("暂予监外执行事由", "暂予监外执行情形"),
    "prohibitions": ("禁止令",),
}
CHOICES = {
    "gender": Gender,
    "education": Education,
    "household_type": HouseholdType,
    "crime_chapter": CrimeChapter,
    "management_level": ManagementLevel,
    "sentence.category": Category,
    "sentence.penalty": Penalty,
    "sentence.temporary_execution_ground": TemporaryExecutionGround,
}
# Spellings seen in ledgers beside the labels this system prints.
ALIASES = {
    "gender": {"男性": "male", "女性": "female"},
    "education": {
        "文盲": "none",
        "半文盲": "none",
        "中专": "vocational",
        "职高": "vocational",
        "技校": "vocational",
        "本科": "bachelor_or_above",
        "研究生": "bachelor_or_above",
    },
    "household_type": {"城市": "urban", "非农业": "urban", "农业": "rural"},
    "sentence.temporary_execution_ground": {
        "保外就医": "illness",
        "怀孕": "pregnancy_nursing",
        "哺乳": "pregnancy_nursing",
    },
}
DATES = {
    "sentence.judgment_date",
    "sentence.effective_date",
    "sentence.release_date",
    "sentence.original_term_end",
}
COUNTS = {"sentence.original_term_months", "sentence.probation_term_months", "sentence.prior_custody_days"}
BOOLEANS = {"sentence.combined_crimes"}
YES = {"是", "y", "yes", "true", "1", "有"}
NO = {"否", "n", "no", "false", "0", "无", ""}
DATE_PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
PROHIBITION_SEPARATORS = re.compile(r"[;；\n]+")


def _norm(text: Any) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or ""))).lower()


def _header_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for key, headers in COLUMNS.items():
        names = [*headers, key]
        if key.startswith("sentence."):
            names.append(key.removeprefix("sentence."))  # the API's names inside `sentence`
        for name in names:
            lookup[_norm(name)] = key
    return lookup


def column_label(key: str) -> str:
    """The header this system writes for a column (the ledger's format, Chinese whatever the UI's
    language: it is the name on the clerk's spreadsheet)."""
    if key in COLUMNS:
        return COLUMNS[key][0]
    return key


def _choice_lookup(key: str) -> dict[str, str]:
    enum = CHOICES[key]
    lookup = {_norm(code): code for code in enum.values}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            lookup.update({_norm(label): code for code, label in enum.choices})
    lookup.update({_norm(alias): code for alias, code in ALIASES.get(key, {}).items()})
    return lookup


class LedgerFileError(Exception):
    """The file as a whole cannot be read (not a spreadsheet, no header, too large)."""


@dataclass
class LedgerRow:
    number: int
    values: dict[str, Any]
    fields: dict[str, Any] = field(default_factory=dict)
    sentence: dict[str, Any] = field(default_factory=dict)
    prohibitions: list[str] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def error(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)


@dataclass
class Ledger:
    headers: dict[str, str]  # key -> the header as written in the file
    rows: list[LedgerRow]
    unknown_headers: list[str]

    def column(self, key: str) -> str:
        """The column an error is about, as the clerk's file names it."""
        return self.headers.get(key) or column_label(key)


def _cells_of_xlsx(content: bytes) -> Iterable[list[Any]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raise LedgerFileError(_("The file is not an Excel workbook (.xlsx) that can be read.")) from error
    sheet = book.worksheets[0]
    for row in sheet.iter_rows(values_only=True):
        yield list(row)


def _cells_of_csv(content: bytes) -> Iterable[list[Any]]:
    try:
        # utf-8-sig drops the BOM Excel writes at the start of a "CSV UTF-8" file.
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LedgerFileError(
            _("The CSV file is not UTF-8. In Excel, save it as CSV UTF-8 (comma delimited).")
        ) from error
    yield from csv.reader(io.StringIO(text, newline=""))


def read_ledger(*, content: bytes, filename: str) -> Ledger:
    """The ledger's rows, each with its cells keyed by column. Raises LedgerFileError."""
    if len(content) > MAX_BYTES:
        raise LedgerFileError(_("The file is larger than 10 MB; split the ledger into several files."))
    name = filename.lower()
    if name.endswith(".xlsx"):
        cells = _cells_of_xlsx(content)
    elif name.endswith(".csv"):
        cells = _cells_of_csv(content)
    else:
        raise LedgerFileError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))
    lookup = _header_lookup()
    rows_iter = iter(cells)
    try:
        header = next(rows_iter)
    except StopIteration as error:
        raise LedgerFileError(_("The file is empty.")) from error
    except csv.Error as error:
        raise LedgerFileError(_("The CSV file cannot be read: %(error)s") % {"error": error}) from error
    positions: dict[int, str] = {}
    headers: dict[str, str] = {}
    unknown = []
    for index, text in enumerate(header):
        if text is None or not str(text).strip():
            continue
        key = lookup.get(_norm(text))
        if key is None:
            # Listed back to the clerk as ignored (and stored in JSONB, which holds no NUL).
            unknown.append(str(text).strip().replace("\x00", "\ufffd"))
        elif key not in headers:
            positions[index], headers[key] = key, str(text).strip()
    if "case_number" not in headers:
        raise LedgerFileError(
            _("The first row must hold the column headers, among them %(header)s.")
            % {"header": column_label("case_number")}
        )
    rows = []
    try:
        for number, cells_of_row in enumerate(rows_iter, start=HEADER_ROW + 1):
            if all(cell is None or not str(cell).strip() for cell in cells_of_row):
                continue  # blank lines between blocks of a ledger are common; they are no case
            if len(rows) >= MAX_ROWS:
                raise LedgerFileError(
                    _("The file has more than %(count)s rows; split it into several files.")
                    % {"count": MAX_ROWS}
                )
            values = {key: cells_of_row[i] for i, key in positions.items() if i < len(cells_of_row)}
            rows.append(LedgerRow(number=number, values=values))
    except csv.Error as error:
        raise LedgerFileError(_("The CSV file cannot be read: %(error)s") % {"error": error}) from error
    return Ledger(headers=headers, rows=rows, unknown_headers=unknown)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel keeps numbers as floats: 12.0 months, a phone number
    if isinstance(value, dt.datetime):
        value = value.date()
    return str(value).strip()


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = unicodedata.normalize("NFKC", _text(value))
    if not text:
        return None
    match = DATE_PATTERN.match(text)
    if not match:
        raise ValueError
    return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))


def _count(value: Any) -> int | None:
    text = unicodedata.normalize("NFKC", _text(value))
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise ValueError from error
    if number != number.to_integral_value() or number < 0:
        raise ValueError
    return int(number)


class Converter:
    """Turns a row's cells into the service's arguments. Agencies and officers are looked up once per
    file, by name within the user's district (names are unique there) or by id."""

    def __init__(self, *, user: User):
        self.user = user
        self.choices = {key: _choice_lookup(key) for key in CHOICES}
        district_id = user.agency.district_id if user.agency_id else None
        offices = Agency.objects.filter(kind=AgencyKind.JUSTICE_OFFICE, district_id=district_id)
        self.offices = self._by_name_and_id(offices)
        deciding = Agency.objects.filter(
            kind__in=(AgencyKind.COURT, AgencyKind.PRISON, AgencyKind.POLICE), district_id=district_id
        )
        self.deciding = self._by_name_and_id(deciding)
        officers = list(User.objects.filter(role=Role.JUSTICE_OFFICER, agency__district_id=district_id))
        self.officers = {officer.username: officer for officer in officers}
        # A clerk writes the officer's name (张伟), not their login: by name too, resolved within the row's
        # office once the office is read (`_officer`).
        self.officers_by_name: dict[str, list[User]] = {}
        for officer in officers:
            name = _norm(officer.get_full_name())
            if name:
                self.officers_by_name.setdefault(name, []).append(officer)

    @staticmethod
    def _by_name_and_id(agencies) -> dict[str, Agency]:
        lookup = {}
        for agency in agencies:
            lookup[_norm(agency.name)] = agency
            lookup[str(agency.pk)] = agency
        return lookup

    def convert(self, row: LedgerRow) -> LedgerRow:
        for key, raw in row.values.items():
            if key == "officer":
                continue  # after the office, which a name is looked up in
            if isinstance(raw, str) and "\x00" in raw:
                # No clerk types a NUL, and PostgreSQL stores none in a text column: the cell is named.
                row.error(key, _("The cell holds an invisible NUL character; type it again."))
                continue
            try:
                value = self._value(key, raw)
            except ValueError:
                row.error(key, self._unreadable(key))
                continue
            except ValidationError as error:
                for message in error.messages:
                    row.error(key, message)
                continue
            if key == "prohibitions":
                row.prohibitions = value
            elif key.startswith("sentence."):
                if value is not None:
                    row.sentence[key.removeprefix("sentence.")] = value
            elif value is not None:
                row.fields[key] = value
        if "officer" in row.values and "\x00" in _text(row.values["officer"]):
            row.error("officer", _("The cell holds an invisible NUL character; type it again."))
        elif "officer" in row.values:
            try:
                officer = self._officer(_text(row.values["officer"]), office=row.fields.get("justice_office"))
            except ValidationError as error:
                for message in error.messages:
                    row.error("officer", message)
            else:
                if officer is not None:
                    row.fields["officer"] = officer
        return row

    def _officer(self, text: str, *, office: Agency | None) -> User | None:
        """The responsible officer by user name, or by real name when one officer of the row's office (of
        the district, when the row names no office) has it; two of that name are an error naming them."""
        if not text:
            return None
        if text in self.officers:
            return self.officers[text]
        named = self.officers_by_name.get(_norm(text), [])
        if office is not None:
            named = [officer for officer in named if officer.agency_id == office.pk]
        if len(named) == 1:
            return named[0]
        if named:
            raise ValidationError(
                _("%(count)d officers are named %(name)s: write the user name of the one meant (%(users)s).")
                % {
                    "count": len(named),
                    "name": text,
                    "users": "、".join(sorted(officer.username for officer in named)),
                }
            )
        if office is not None:
            raise ValidationError(
                _("No correction officer of %(office)s has this name or user name.") % {"office": office.name}
            )
        raise ValidationError(_("No correction officer of your district has this name or user name."))

    def _unreadable(self, key: str) -> str:
        if key in DATES:
            return _("Write the date as YYYY-MM-DD, for example 2026-10-12.")
        if key in COUNTS:
            return _("Write a whole number.")
        if key in BOOLEANS:
            return _("Write 是 or 否 (yes or no).")
        enum = CHOICES[key]
        return _("Use one of: %(values)s.") % {"values": "、".join(str(label) for label in enum.labels)}

    def _value(self, key: str, raw: Any) -> Any:
        if key in DATES:
            return _date(raw)
        if key in COUNTS:
            return _count(raw)
        text = _text(raw)
        if key in BOOLEANS:
            if _norm(text) in YES:
                return True
            if _norm(text) in NO:
                return False
            raise ValueError
        if key == "prohibitions":
            return [part.strip() for part in PROHIBITION_SEPARATORS.split(text) if part.strip()]
        if key in CHOICES:
            if not text:
                # An empty cell is left to the service: it names a missing required field itself.
                return "" if key != "management_level" else None
            code = self.choices[key].get(_norm(text))
            if code is None:
                raise ValueError
            return code
        if key == "justice_office":
            return self._agency(self.offices, text, _("No justice office of your district has this name."))
        if key == "sentence.deciding_agency":
            message = _("No court, prison administration or police of your district has this name.")
            return self._agency(self.deciding, text, message)
        return text

    @staticmethod
    def _agency(lookup: dict[str, Agency], text: str, message: str) -> Agency | None:
        if not text:
            return None
        agency = lookup.get(_norm(text)) or lookup.get(text)
        if agency is None:
            raise ValidationError(message)
        return agency
