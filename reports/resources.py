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

from django.utils.text import capfirst
from import_export import resources
from import_export.fields import Field
from import_export.formats.base_formats import CSV, XLSX

from accounts.models import User
from config.office_time import office_zone
from corrections.models import Sentence, Supervisee
from corrections.scoping import ROLES_WITHOUT_SENSITIVE_FIELDS, id_number_for
from supervision.models import CheckIn

from .excel import safe_text

SENSITIVE_COLUMNS = ("id_number", "crime", "crime_chapter")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _label(model, name: str):
    return capfirst(model._meta.get_field(name).verbose_name)


class SafeResource(resources.ModelResource):
    def export(self, *args, **kwargs):
        # The xlsx sheet is named after what it lists, in the reader's language (tablib would call it
        # "Tablib Dataset"); CSV has no sheet name.
        dataset = super().export(*args, **kwargs)
        dataset.title = str(capfirst(self._meta.model._meta.verbose_name_plural))
        return dataset

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
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
        return supervisee.get_gender_display()

    def dehydrate_id_number(self, supervisee):
        return id_number_for(self.reader, supervisee) or ""

    def dehydrate_education(self, supervisee):
        return supervisee.get_education_display()

    def dehydrate_household_type(self, supervisee):
        return supervisee.get_household_type_display()

    def dehydrate_crime_chapter(self, supervisee):
        return supervisee.get_crime_chapter_display()

    def dehydrate_category(self, supervisee):
        return supervisee.sentence.get_category_display()

    def dehydrate_status(self, supervisee):
        return supervisee.get_status_display()

    def dehydrate_management_level(self, supervisee):
        return supervisee.get_management_level_display()

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
        return checkin.get_kind_display()

    def dehydrate_occurred_at(self, checkin):
        # The office's clock (docs/rules.md#time-the-offices-day), as a clerk reads it.
        return checkin.occurred_at.astimezone(office_zone()).strftime("%Y-%m-%d %H:%M")

    def dehydrate_recorded_by(self, checkin):
        return checkin.recorded_by.get_full_name() or checkin.recorded_by.username


def render_export(dataset, export_format: str) -> tuple[bytes, str]:
    """The file's bytes and content type. CSV starts with a UTF-8 BOM so that Excel opens the Chinese
    text as UTF-8 instead of the system's code page."""
    if export_format == "csv":
        text = CSV().export_data(dataset)
        return ("\ufeff" + text).encode("utf-8"), CSV_CONTENT_TYPE
    return XLSX().export_data(dataset), XLSX_CONTENT_TYPE
