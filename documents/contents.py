"""What a document says: the values its template is filled with, in Chinese, as plain text.

The contents are kept with the document (Document.context), so what a document said can be read and
compared without its PDF, and a correction keeps the step's own values while taking the case's
corrected ones. Legal references come from corrections.law, the one table, rendered in Chinese.

Values a template may use (documents/migrations/0002_templates.py has the first versions):
- the case (CASE_KEYS): name, gender, birth_date, id_number, case_number, residence_address, crime,
  category, deciding_agency, decision_document, start_date, end_date, prohibitions, justice_office;
- the document: title, number, issuer, issued_on;
- law: the references below, e.g. {{ law.release }} → 《社区矫正法》第四十四条;
- the step's own values, named by the step (documents/effects.py and the services that issue): the
  intake announcement's `intake_date` and `checklist` (what the intake record says was done).
"""

import datetime as dt

from django.utils import translation

from corrections import law
from corrections.models import Supervisee

# The legal references templates cite, by a name a template uses.
LAW = {
    "intake": law.INTAKE_REGISTRATION,
    "duties": law.REPORTING_DUTY,
    "leave": law.LEAVE_NEEDS_APPROVAL,
    "measures": law.MEASURES_FOR_BREACH,
    "release": law.RELEASE,
    "revocation_addressee": law.REVOCATION_PROPOSAL_ADDRESSEE,
    "recommitment_addressee": law.RECOMMITMENT_PROPOSAL_ADDRESSEE,
    "police_penalty": law.POLICE_PENALTY,
    "probation_breach": law.PROBATION_REVOKED_BREACH,
    "parole_breach": law.PAROLE_REVOKED_BREACH,
    "recommitment_grounds": law.RECOMMITMENT_GROUNDS,
    # Electronic positioning (CCL 29): the grounds (a decision names its item), the term, the secrecy.
    "positioning": law.POSITIONING_GROUNDS,
    "positioning_term": law.POSITIONING_TERM,
    "positioning_confidential": law.POSITIONING_DATA_CONFIDENTIAL,
}

CASE_KEYS = (
    "name",
    "gender",
    "birth_date",
    "id_number",
    "case_number",
    "residence_address",
    "crime",
    "category",
    "deciding_agency",
    "decision_document",
    "start_date",
    "end_date",
    "prohibitions",
    "justice_office",
)


# Temporary execution has no end date: it lasts until its ground ends (CPL 265).
OPEN_END = "暂予监外执行的情形消失之日"


def chinese_date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def case_contents(supervisee: Supervisee) -> dict[str, str]:
    """The case as a document states it, in Chinese whatever the reader's language."""
    sentence = supervisee.sentence
    with translation.override("zh-hans"):
        return {
            "name": supervisee.name,
            "gender": str(supervisee.get_gender_display()),
            "birth_date": chinese_date(supervisee.birth_date),
            "id_number": supervisee.id_number,
            "case_number": supervisee.case_number,
            "residence_address": supervisee.residence_address,
            "crime": supervisee.crime,
            "category": str(sentence.get_category_display()),
            "deciding_agency": sentence.deciding_agency.name,
            "decision_document": sentence.document_number,
            "start_date": chinese_date(sentence.start_date),
            "end_date": chinese_date(sentence.end_date)
            if sentence.end_date
            else "暂予监外执行的情形消失之日",
            "prohibitions": "；".join(p.content for p in sentence.prohibition_orders.all()),
            "justice_office": supervisee.justice_office.name,
        }


def law_contents() -> dict[str, str]:
    with translation.override("zh-hans"):
        return {name: ref.chinese() for name, ref in LAW.items()}
