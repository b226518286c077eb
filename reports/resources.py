"""Exports through django-import-export: the caseload and the check-ins, as xlsx or as CSV.

Headers are the model's field names in the reader's language, and the sheet is named after the
model (社区矫正对象 / Supervisees). Every text cell goes through
`reports.excel.safe_text` (a value starting with `=`, `+`, `-` or `@` is made plain text, OWASP CSV
injection); import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT stays on behind it, but it
only strips a leading `=`, which would change what the clerk typed, so the cell never reaches it as a
formula. Social workers get no ID number and no crime columns; the ID number column is what
`corrections.scoping.id_number_for` shows the reader (masked for the police and the court unless a
referral needs the person identified).
"""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.text import capfirst
from import_export import resources
from import_export.fields import Field

from accounts.models import User
from config.office_time import office_zone
from corrections.models import Sentence, Supervisee
from corrections.scoping import ROLES_WITHOUT_SENSITIVE_FIELDS, id_number_for
from supervision.models import CheckIn

from .excel import safe_text
from .streaming import CSV_CONTENT_TYPE, HEADER, XLSX_CONTENT_TYPE, Row, Sheet, csv_stream, xlsx_stream

SENSITIVE_COLUMNS = ("id_number", "crime", "crime_chapter")
# Rows fetched from the database at a time while an export streams (a server-side cursor on PostgreSQL).
EXPORT_CHUNK_ROWS = 2000


def _label(model, name: str):
    return capfirst(model._meta.get_field(name).verbose_name)


class SafeResource(resources.ModelResource):
    def sheet_title(self) -> str:
        # The xlsx sheet is named after what it lists, in the reader's language; CSV has no sheet name.
        return str(capfirst(self._meta.model._meta.verbose_name_plural))

    def export(self, *args, **kwargs):
        dataset = super().export(*args, **kwargs)
        dataset.title = self.sheet_title()
        return dataset

    def get_chunk_size(self):
        return EXPORT_CHUNK_ROWS

    def export_rows(self, queryset: QuerySet) -> Iterator[list]:
        """The header and then each row, as `export` would put them in its dataset, one row at a time
        (`.iterator()`: the rows are never all in memory)."""
        self._labels = {}  # the choices' labels of this export, in its language (see `display`)
        fields = self.get_export_fields()
        yield [force_str(field.column_name) for field in fields]
        # What `export_field` finds for each column, found once rather than once a row and column.
        getters = []
        for field in fields:
            method = getattr(self, f"dehydrate_{self.get_field_name(field)}", None)
            getters.append(method if callable(method) else field.export)
        for instance in self.iter_queryset(queryset):
            yield [self._safe(getter(instance)) for getter in getters]

    def display(self, instance, name: str) -> str:
        """`instance.get_<name>_display()`, from a table of the field's labels made once per export:
        Django's own looks each label up through the translation catalogue again, row after row (2.7 ms
        a row of the caseload, most of a 700,000-row export's time)."""
        labels = getattr(self, "_labels", None)
        if labels is None:
            labels = self._labels = {}
        model_field = instance._meta.get_field(name)
        if name not in labels.setdefault(type(instance), {}):
            labels[type(instance)][name] = {code: str(label) for code, label in model_field.flatchoices}
        value = getattr(instance, model_field.attname)
        return labels[type(instance)][name].get(value, value)

    def export_field(self, field, instance, **kwargs):
        return self._safe(super().export_field(field, instance, **kwargs))

    @staticmethod
    def _safe(value):
        return safe_text(value) if isinstance(value, str) and value else value


class CaseloadResource(SafeResource):
    case_number = Field(attribute="case_number", column_name=_label(Supervisee, "case_number"))
    name = Field(attribute="name", column_name=_label(Supervisee, "name"))
    gender = Field(column_name=_label(Supervisee, "gender"))
    id_number = Field(column_name=_label(Supervisee, "id_number"))
    birth_date = Field(attribute="birth_date", column_name=_label(Supervisee, "birth_date"))
    education = Field(column_name=_label(Supervisee, "education"))
    household_type = Field(column_name=_label(Supervisee, "household_type"))
    residence_address = Field(
        attribute="residence_address", column_name=_label(Supervisee, "residence_address")
    )
    crime = Field(attribute="crime", column_name=_label(Supervisee, "crime"))
    crime_chapter = Field(column_name=_label(Supervisee, "crime_chapter"))
    category = Field(column_name=_label(Sentence, "category"))
    status = Field(column_name=_label(Supervisee, "status"))
    management_level = Field(column_name=_label(Supervisee, "management_level"))
    justice_office = Field(attribute="justice_office__name", column_name=_label(Supervisee, "justice_office"))
    officer = Field(column_name=_label(Supervisee, "officer"))
    intake_date = Field(attribute="intake_date", column_name=_label(Supervisee, "intake_date"))
    start_date = Field(attribute="sentence__start_date", column_name=_label(Sentence, "start_date"))
    end_date = Field(attribute="sentence__end_date", column_name=_label(Sentence, "end_date"))

    class Meta:
        model = Supervisee
        fields = (
            "case_number",
            "name",
            "gender",
            "id_number",
            "birth_date",
            "education",
            "household_type",
            "residence_address",
            "crime",
            "crime_chapter",
            "category",
            "status",
            "management_level",
            "justice_office",
            "officer",
            "intake_date",
            "start_date",
            "end_date",
        )
        export_order = fields

    def __init__(self, *, reader: User, **kwargs):
        super().__init__(**kwargs)
        self.reader = reader
        self.without_sensitive = reader.role in ROLES_WITHOUT_SENSITIVE_FIELDS

    def get_export_fields(self, selected_fields=None):
        fields = super().get_export_fields(selected_fields)
        if self.without_sensitive:
            fields = [f for f in fields if f.column_name not in self._sensitive_headers()]
        return fields

    def _sensitive_headers(self):
        return {self.fields[name].column_name for name in SENSITIVE_COLUMNS}

    def dehydrate_gender(self, supervisee):
        return self.display(supervisee, "gender")

    def dehydrate_id_number(self, supervisee):
        return id_number_for(self.reader, supervisee) or ""

    def dehydrate_education(self, supervisee):
        return self.display(supervisee, "education")

    def dehydrate_household_type(self, supervisee):
        return self.display(supervisee, "household_type")

    def dehydrate_crime_chapter(self, supervisee):
        return self.display(supervisee, "crime_chapter")

    def dehydrate_category(self, supervisee):
        return self.display(supervisee.sentence, "category")

    def dehydrate_status(self, supervisee):
        return self.display(supervisee, "status")

    def dehydrate_management_level(self, supervisee):
        return self.display(supervisee, "management_level")

    def dehydrate_officer(self, supervisee):
        officer = supervisee.officer
        return (officer.get_full_name() or officer.username) if officer else ""


class CheckInResource(SafeResource):
    case_number = Field(attribute="supervisee__case_number", column_name=_label(Supervisee, "case_number"))
    name = Field(attribute="supervisee__name", column_name=_label(Supervisee, "name"))
    kind = Field(column_name=_label(CheckIn, "kind"))
    occurred_at = Field(column_name=_label(CheckIn, "occurred_at"))
    hours = Field(attribute="hours", column_name=_label(CheckIn, "hours"))
    recorded_by = Field(column_name=_label(CheckIn, "recorded_by"))
    notes = Field(attribute="notes", column_name=_label(CheckIn, "notes"))

    class Meta:
        model = CheckIn
        # Never latitude and longitude: location data is confidential (docs/rules.md#audit-and-privacy, CCL
        # 29).
        fields = ("case_number", "name", "kind", "occurred_at", "hours", "recorded_by", "notes")
        export_order = fields

    def dehydrate_kind(self, checkin):
        return self.display(checkin, "kind")

    def dehydrate_occurred_at(self, checkin):
        # The office's clock (docs/rules.md#time-the-offices-day), as a clerk reads it.
        return checkin.occurred_at.astimezone(office_zone()).strftime("%Y-%m-%d %H:%M")

    def dehydrate_recorded_by(self, checkin):
        return checkin.recorded_by.get_full_name() or checkin.recorded_by.username


def export_stream(
    resource: SafeResource, queryset: QuerySet, export_format: str
) -> tuple[Iterator[bytes], str]:
    """The file's bytes as they are made, and its content type: CSV (after a UTF-8 BOM, for Excel) or an
    xlsx workbook of one sheet with a bold, frozen header row (reports.streaming). The rows are read
    while the file is sent, in the language of the request."""
    language = translation.get_language()

    def rows():
        with translation.override(language):
            yield from resource.export_rows(queryset)

    if export_format == "csv":
        return csv_stream(rows()), CSV_CONTENT_TYPE

    def sheet_rows():
        lines = rows()
        yield Row(next(lines), style=HEADER)
        yield from lines

    sheet = Sheet(name=resource.sheet_title(), rows=sheet_rows(), freeze_rows=1)
    return xlsx_stream([sheet], title=resource.sheet_title()), XLSX_CONTENT_TYPE
