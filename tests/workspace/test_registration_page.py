"""The registration page (`/supervisees/new/`): who may open it, a full registration of each category,
refusals by the field they name with a summary above the form, nothing saved unless all is valid, the
period computed and explained without saving, and the fields named as the API's."""

import datetime as dt
import re

import pytest
from django.db import IntegrityError
from django.urls import reverse

from accounts.constants import AgencyKind
from accounts.models import AuditEvent
from corrections.constants import Status
from corrections.idnumber import make_id_number
from corrections.models import Prohibition, Sentence, Supervisee
from corrections.serializers import SentenceSerializer, SuperviseeSerializer
from tests.factories import AgencyFactory, SuperviseeFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/supervisees/new/"
PERIOD_URL = "/supervisees/new/period/"
ID_NUMBER = make_id_number(region="370403", birth_date=dt.date(1998, 3, 4), sequence=12, gender="male")
# The same number with its check character changed: a typing mistake the checksum catches.
WRONG_CHECKSUM = ID_NUMBER[:17] + ("0" if ID_NUMBER[17] != "0" else "1")
CHECKSUM_MESSAGE = "ID number checksum does not match: check the digits for a typing mistake."


def person(**overrides) -> dict:
    return {
        "case_number": "(2026)薛矫字第00031号",
        "name": "李明",
        "gender": "male",
        "id_number": ID_NUMBER,
        "ethnicity": "汉族",
        "education": "junior_secondary",
        "employment": "务工",
        "phone": "13800000000",
        "residence_address": "临城街道光明路 8 号",
        "household_address": "",
        "household_type": "urban",
        "crime": "盗窃罪",
        "crime_chapter": "property",
        "management_level": "strict",
        **overrides,
    }


def probation(court, **overrides) -> dict:
    return {
        "sentence_category": "probation",
        "sentence_penalty": "fixed_term_imprisonment",
        "sentence_deciding_agency": court.pk,
        "sentence_document_number": "(2026)鲁0403刑初12号",
        "sentence_judgment_date": "2026-01-02",
        "sentence_effective_date": "2026-01-13",
        "sentence_original_term_months": "10",
        "sentence_probation_term_months": "12",
        "sentence_prohibitions": "禁止进入夜总会、酒吧\n\n  禁止接触被害人  \n",
        **overrides,
    }


@pytest.fixture
def prison(district):
    return AgencyFactory(name="山东省鲁南监狱", kind=AgencyKind.PRISON, district=district)


def sentence_of(category: str, court, prison) -> dict:
    """A lawful sentence of each category, and the period the rules give it."""
    if category == "probation":
        return probation(court), ("2026-01-13", "2027-01-12", "probation_imprisonment")
    if category == "control":
        # CL 38, 41: 6 months from 2026-10-12 end on 2027-04-11; 10 days of custody offset 20.
        data = {
            "sentence_category": "control",
            "sentence_penalty": "control",
            "sentence_deciding_agency": court.pk,
            "sentence_document_number": "(2026)鲁0403刑初31号",
            "sentence_judgment_date": "2026-09-28",
            "sentence_effective_date": "2026-10-12",
            "sentence_original_term_months": "6",
            "sentence_prior_custody_days": "10",
            "sentence_prohibitions": "禁止进入中小学校区",
        }
        return data, ("2026-10-12", "2027-03-22", "control")
    if category == "parole":
        # CL 83: the unserved term, from the release to the day the original sentence would end.
        data = {
            "sentence_category": "parole",
            "sentence_penalty": "fixed_term_imprisonment",
            "sentence_deciding_agency": court.pk,
            "sentence_document_number": "(2026)鲁04刑更188号",
            "sentence_judgment_date": "2026-08-20",
            "sentence_effective_date": "2026-08-25",
            "sentence_original_term_months": "60",
            "sentence_release_date": "2026-09-01",
            "sentence_original_term_end": "2028-03-15",
        }
        return data, ("2026-09-01", "2028-03-15", "parole_fixed_term")
    # CPL 265: from the release until the ground ends (no end of the original term given).
    data = {
        "sentence_category": "temporary_execution",
        "sentence_penalty": "fixed_term_imprisonment",
        "sentence_deciding_agency": prison.pk,
        "sentence_document_number": "鲁南狱监外字(2026)7号",
        "sentence_judgment_date": "2026-09-20",
        "sentence_effective_date": "2026-09-25",
        "sentence_original_term_months": "36",
        "sentence_release_date": "2026-10-01",
        "sentence_temporary_execution_ground": "illness",
    }
    return data, ("2026-10-01", None, "temporary_execution")


def nothing_saved() -> bool:
    return not (
        Supervisee.objects.exists()
        or Sentence.objects.exists()
        or Prohibition.objects.exists()
        or AuditEvent.objects.filter(action="create").exists()
    )


def field_errors(response, name: str) -> list[str]:
    return list(response.context["form"].errors.get(name, []))


# --- who may open it ----------------------------------------------------------------------------------

ROLES = {
    "officer": 200,
    "other_office_officer": 200,
    "supervisor": 200,
    "procurator": 403,
    "judge": 403,
    "police": 403,
    "social_worker": 403,
}


@pytest.mark.parametrize(("role", "expected"), ROLES.items())
def test_only_officers_and_supervisors_open_the_page(client, request, agencies, role, expected):
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code == expected
    # An officer's office is their own whatever is posted; a supervisor chooses this one.
    data = {**person(), **probation(agencies["court"]), "justice_office": agencies["office"].pk}
    response = client.post(URL, data)
    assert response.status_code == (302 if expected == 200 else 403)
    assert client.post(PERIOD_URL, data).status_code == expected
    if expected == 403:
        assert nothing_saved()


def test_signing_in_comes_first(client):
    for url in (URL, PERIOD_URL):
        response = client.get(url) if url == URL else client.post(url, {})
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_register_links_on_the_caseload_and_the_dashboard_for_those_who_register(client, officer, procurator):
    client.force_login(officer)
    for url in ("/supervisees/", "/"):
        assert f'href="{URL}"' in client.get(url).content.decode()
    client.force_login(procurator)
    for url in ("/supervisees/", "/"):
        assert f'href="{URL}"' not in client.get(url).content.decode()


def test_the_url_is_the_contracts_and_comes_before_the_case_page():
    assert reverse("supervisee-new") == URL


# --- registering ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("category", ["probation", "control", "parole", "temporary_execution"])
def test_a_full_registration_of_each_category(client, officer, office, court, prison, category):
    sentence, (start, end, rule) = sentence_of(category, court, prison)
    gender = "female" if category == "temporary_execution" else "male"
    id_number = make_id_number(region="370403", birth_date=dt.date(1990, 7, 1), sequence=4, gender=gender)
    client.force_login(officer)
    # The page offers the signed-in officer as the case's officer.
    assert client.get(URL).context["form"]["officer"].value() == officer.pk
    response = client.post(
        URL, {**person(id_number=id_number, gender=gender), **sentence, "officer": officer.pk}
    )
    supervisee = Supervisee.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("supervisee-detail", args=[supervisee.pk])
    assert supervisee.status == Status.PENDING_REPORT
    assert (supervisee.justice_office, supervisee.officer) == (office, officer)
    assert supervisee.birth_date == dt.date(1990, 7, 1)
    record = supervisee.sentence
    assert record.category == category
    assert (
        record.start_date.isoformat(),
        record.end_date.isoformat() if record.end_date else None,
        record.period_rule,
    ) == (start, end, rule)
    assert AuditEvent.objects.filter(action="create", supervisee_id=supervisee.pk).count() == 1
    page = client.get(response["Location"])
    assert "is registered" in page.content.decode()  # the success message, on the case page
    assert record.period_explanation in page.content.decode()


def test_prohibition_orders_one_per_line_and_category_terms(client, officer, court, prison):
    sentence, _ = sentence_of("control", court, prison)
    client.force_login(officer)
    client.post(
        URL,
        {
            **person(),
            **sentence,
            "sentence_original_term_months": "30",
            "sentence_combined_crimes": "on",
            "sentence_prohibitions": "禁止进入中小学校区\r\n\r\n  禁止接触被害人 ",
        },
    )
    record = Sentence.objects.get()
    # CL 69: 30 months of control only for combined crimes.
    assert record.combined_crimes is True and record.original_term_months == 30
    assert list(record.prohibition_orders.values_list("content", flat=True)) == [
        "禁止进入中小学校区",
        "禁止接触被害人",
    ]


def test_wrong_checksum_is_refused_by_the_field_with_a_summary_and_nothing_saved(client, officer, court):
    client.force_login(officer)
    response = client.post(URL, {**person(id_number=WRONG_CHECKSUM), **probation(court)})
    assert response.status_code == 400
    assert field_errors(response, "id_number") == [CHECKSUM_MESSAGE]
    html = response.content.decode()
    # Beside the field: its error list, which the input names as describing it.
    field = re.search(
        r'<div class="field field-id_number invalid">(.*?)</div>\s*<div class="field', html, re.S
    )
    assert field and CHECKSUM_MESSAGE in field.group(1) and 'aria-invalid="true"' in field.group(1)
    assert 'aria-describedby="id_id_number_helptext id_id_number_error"' in field.group(1)
    # Above the form: the summary, announced and focusable, linking to the field.
    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', html, re.S)
    assert summary and 'role="alert"' in summary.group(0) and 'tabindex="-1"' in summary.group(0)
    assert f'<a href="#id_id_number">ID number: {CHECKSUM_MESSAGE}</a>' in summary.group(1)
    # What was typed comes back.
    assert f'value="{WRONG_CHECKSUM}"' in html and 'value="李明"' in html
    assert nothing_saved()


def test_every_refusal_of_the_service_is_by_its_field(client, officer, court):
    client.force_login(officer)
    response = client.post(
        URL,
        {
            **person(gender="female"),
            **probation(court, sentence_probation_term_months="61", sentence_effective_date="2025-12-30"),
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "17th digit" in errors["gender"][0]
    assert "60 months" in errors["sentence_probation_term_months"][0]  # "sentence.x" is sentence_x
    assert "before the day it was given" in errors["sentence_effective_date"][0]
    links = re.findall(r'<a href="#(id_[a-z_]+)">', response.content.decode())
    assert links == ["id_gender", "id_sentence_effective_date", "id_sentence_probation_term_months"]
    assert nothing_saved()


def test_a_duplicate_case_number_is_refused_by_the_field(client, officer, office, court):
    SuperviseeFactory(justice_office=office, case_number="(2026)薛矫字第00031号")
    client.force_login(officer)
    response = client.post(URL, {**person(), **probation(court)})
    assert response.status_code == 400
    assert "already exists" in field_errors(response, "case_number")[0]
    assert Supervisee.objects.count() == 1


def test_a_second_open_case_for_one_id_number_is_refused_by_the_field(client, officer, office, court):
    SuperviseeFactory(justice_office=office, id_number=ID_NUMBER)
    client.force_login(officer)
    response = client.post(URL, {**person(), **probation(court)})
    assert response.status_code == 400
    assert field_errors(response, "id_number") == ["This person already has an open correction case."]
    assert '<a href="#id_id_number">' in response.content.decode()
    assert Supervisee.objects.count() == 1


def test_a_late_failure_leaves_nothing_saved(client, officer, court, monkeypatch):
    """Everything checked, the case row written, then the prohibition orders fail: the one transaction of
    the service takes the case row back with them."""

    def broken(*args, **kwargs):
        raise IntegrityError("simulated failure after the case row was written")

    monkeypatch.setattr(Prohibition.objects, "bulk_create", broken)
    client.force_login(officer)
    with pytest.raises(IntegrityError):
        client.post(URL, {**person(), **probation(court)})
    assert nothing_saved()


def test_a_blank_form_names_every_required_field(client, officer):
    client.force_login(officer)
    response = client.post(URL, {"management_level": "strict"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    for name in (
        "case_number",
        "name",
        "gender",
        "id_number",
        "sentence_category",
        "sentence_deciding_agency",
    ):
        assert name in errors
    assert len(response.context["errors"]) == len([m for messages in errors.values() for m in messages])
    assert nothing_saved()


def test_an_officer_registers_for_their_own_office_whatever_is_posted(
    client, officer, office, other_office, court
):
    colleague = UserFactory(username="t_next_desk", agency=office)
    client.force_login(officer)
    response = client.post(
        URL, {**person(), **probation(court), "justice_office": other_office.pk, "officer": colleague.pk}
    )
    assert response.status_code == 302
    supervisee = Supervisee.objects.get()
    assert (supervisee.justice_office, supervisee.officer) == (office, colleague)
    page = client.get(URL).content.decode()
    assert 'name="justice_office"' not in page and office.name in page


def test_an_officer_is_offered_the_officers_of_their_office_only(client, officer, other_office_officer):
    client.force_login(officer)
    choices = client.get(URL).context["form"].fields["officer"].queryset
    assert list(choices) == [officer]


# --- a supervisor chooses the office ----------------------------------------------------------------


def test_a_supervisor_chooses_an_office_and_an_officer(client, supervisor, other_office, court):
    officer2 = UserFactory(username="t_changzhuang", agency=other_office)
    client.force_login(supervisor)
    page = client.get(URL)
    offices = page.context["form"].fields["justice_office"].queryset
    assert other_office in offices and not offices.exclude(kind=AgencyKind.JUSTICE_OFFICE).exists()
    # Each officer's option names the office, for the page's script.
    assert f'data-office="{other_office.pk}"' in page.content.decode()
    response = client.post(
        URL, {**person(), **probation(court), "justice_office": other_office.pk, "officer": officer2.pk}
    )
    assert response.status_code == 302
    supervisee = Supervisee.objects.get()
    assert (supervisee.justice_office, supervisee.officer) == (other_office, officer2)


def test_a_supervisor_may_leave_the_officer_unassigned(client, supervisor, office, court):
    client.force_login(supervisor)
    response = client.post(URL, {**person(), **probation(court), "justice_office": office.pk})
    assert response.status_code == 302
    assert Supervisee.objects.get().officer is None


def test_a_supervisor_must_choose_the_office_and_an_officer_of_it(
    client, supervisor, office, other_office_officer, court
):
    client.force_login(supervisor)
    response = client.post(URL, {**person(), **probation(court)})
    assert response.status_code == 400 and field_errors(response, "justice_office")
    response = client.post(
        URL, {**person(), **probation(court), "justice_office": office.pk, "officer": other_office_officer.pk}
    )
    assert response.status_code == 400
    assert field_errors(response, "officer") == ["The officer must be a correction officer of this office."]
    assert nothing_saved()


def test_another_districts_office_is_not_offered(client, supervisor, court):
    elsewhere = AgencyFactory(kind=AgencyKind.JUSTICE_OFFICE, name="他区司法所")
    client.force_login(supervisor)
    response = client.post(URL, {**person(), **probation(court), "justice_office": elsewhere.pk})
    assert response.status_code == 400 and field_errors(response, "justice_office")
    assert nothing_saved()


# --- the period, computed and explained -------------------------------------------------------------


def test_compute_the_period_shows_it_and_saves_nothing(client, officer, court):
    client.force_login(officer)
    # Only the sentence so far: the rest of the form is not judged yet.
    response = client.post(URL, {**probation(court), "action": "period"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Correction period: 2026-01-13 – 2027-01-12" in html
    assert "Criminal Law 73" in html  # the explanation names the law
    assert response.context["errors"] == [] and 'class="error-summary"' not in html
    assert nothing_saved()


def test_compute_the_period_names_the_term_at_fault(client, officer, court):
    client.force_login(officer)
    response = client.post(URL, {**probation(court, sentence_probation_term_months="6"), "action": "period"})
    assert response.status_code == 200
    assert "between 12 and 60 months" in field_errors(response, "sentence_probation_term_months")[0]
    assert '<a href="#id_sentence_probation_term_months">' in response.content.decode()
    assert nothing_saved()


def test_a_refused_registration_still_shows_the_period_of_its_terms(client, officer, court):
    client.force_login(officer)
    response = client.post(URL, {**person(id_number=WRONG_CHECKSUM), **probation(court)})
    assert response.status_code == 400
    assert response.context["period"].end_date == dt.date(2027, 1, 12)


def test_the_period_as_json_for_the_pages_script(client, officer, court):
    client.force_login(officer)
    answer = client.post(PERIOD_URL, {**probation(court), "gender": "male"}).json()
    assert (answer["start_date"], answer["end_date"], answer["rule"]) == (
        "2026-01-13",
        "2027-01-12",
        "probation_imprisonment",
    )
    assert "Criminal Law 73" in answer["explanation"] and answer["explanation"] in answer["html"]
    refused = client.post(PERIOD_URL, {**probation(court), "sentence_category": "parole"})
    assert refused.status_code == 400
    fields = {error["field"] for error in refused.json()["errors"]}
    assert fields == {"sentence_release_date", "sentence_original_term_end"}
    assert "Criminal Law 83" in refused.json()["html"]
    assert nothing_saved()


def test_the_period_and_the_clerks_message_in_chinese(client, officer, court):
    client.force_login(officer)
    answer = client.post(PERIOD_URL, probation(court), HTTP_ACCEPT_LANGUAGE="zh-CN").json()
    assert "《刑法》第七十三条" in answer["explanation"]
    assert "矫正期限：2026-01-13 至 2027-01-12" in answer["html"]
    response = client.post(
        URL, {**person(id_number=WRONG_CHECKSUM), **probation(court)}, HTTP_ACCEPT_LANGUAGE="zh-CN"
    )
    assert field_errors(response, "id_number") == ["身份证号码校验码不正确，请检查是否输错。"]


# --- named as the contract's ------------------------------------------------------------------------


def test_the_fields_are_named_as_the_apis(client, officer, supervisor):
    """API.md: fields named as the API's, the sentence's with the prefix `sentence_`, plus the
    prohibition orders."""
    writable = {name for name, field in SuperviseeSerializer().fields.items() if not field.read_only}
    sentence = {name for name, field in SentenceSerializer().fields.items() if not field.read_only}
    # The period is computed, never typed on the page; the API merely allows stating it.
    allowed = (writable - {"sentence"}) | {
        f"sentence_{name}" for name in sentence - {"start_date", "end_date"}
    }
    for user in (officer, supervisor):
        client.force_login(user)
        html = client.get(URL).content.decode()
        start = html.index('id="registration"')
        form = html[start : html.index("</form>", start)]
        names = set(re.findall(r'name="([a-z_]+)"', form)) - {"csrfmiddlewaretoken", "action"}
        assert names <= allowed, names - allowed
        assert {"sentence_category", "sentence_release_date", "sentence_prohibitions", "id_number"} <= names
    assert "justice_office" in names  # the supervisor's page


@pytest.mark.parametrize("officers", [1, 12])
def test_the_page_runs_a_fixed_number_of_queries(
    client, supervisor, office, other_office, court, django_assert_num_queries, officers
):
    for n in range(officers):
        UserFactory(username=f"t_desk_{n}", agency=office if n % 2 else other_office)
    client.force_login(supervisor)
    # session, user, the user's agency (page header), the offices, the officers with their offices
    # joined, the deciding agencies: the same whatever the number of officers.
    with django_assert_num_queries(6):
        assert client.get(URL).status_code == 200
