"""The procuratorate issues its notices from the case page (API.md v1.1; CCL 62): a form to the
district's bureau or the office in charge, sent at once, followed on the referral's page. Nobody else
sees the form, and a notice nobody may address is refused by its field."""

import pytest

from coordination.models import Referral
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(office, officer):
    return SuperviseeFactory(justice_office=office, officer=officer, name="钱进")


def test_the_procuratorate_issues_a_notice_from_the_case_page(client, procurator, case, bureau):
    client.force_login(procurator)
    html = client.get(f"/supervisees/{case.pk}/").content.decode()
    assert 'id="procuratorial-notice"' in html and 'id="referral-draft"' not in html
    response = client.post(
        f"/supervisees/{case.pk}/procuratorial-notices/",
        {"notice-to_agency": bureau.pk, "notice-summary": "该对象脱管逾一个月未予警告，建议依法处理。"},
    )
    notice = Referral.objects.get(supervisee=case)
    assert response.status_code == 302 and response["Location"] == f"/referrals/{notice.pk}/"
    assert (notice.kind, notice.status, notice.from_agency, notice.to_agency) == (
        "procuratorial_notice",
        "sent",
        procurator.agency,
        bureau,
    )
    assert notice.due_date is not None


def test_an_empty_notice_is_refused_by_its_field_and_nothing_is_sent(client, procurator, case, bureau):
    client.force_login(procurator)
    response = client.post(
        f"/supervisees/{case.pk}/procuratorial-notices/",
        {"notice-to_agency": bureau.pk, "notice-summary": ""},
    )
    assert response.status_code == 400
    assert "Say what the referral is about." in response.content.decode()
    assert not Referral.objects.exists()


def test_an_addressee_outside_the_list_is_refused(client, procurator, case, agencies):
    client.force_login(procurator)
    response = client.post(
        f"/supervisees/{case.pk}/procuratorial-notices/",
        {"notice-to_agency": agencies["police"].pk, "notice-summary": "建议"},
    )
    assert response.status_code == 400 and not Referral.objects.exists()


@pytest.mark.parametrize("role", ["officer", "supervisor", "judge"])
def test_no_one_else_has_the_form_or_may_post_it(client, request, role, case, bureau):
    user = request.getfixturevalue(role)
    client.force_login(user)
    page = client.get(f"/supervisees/{case.pk}/")
    assert page.status_code == 404 or 'id="procuratorial-notice"' not in page.content.decode()
    response = client.post(
        f"/supervisees/{case.pk}/procuratorial-notices/",
        {"notice-to_agency": bureau.pk, "notice-summary": "x"},
    )
    # Refused for the role (403), or the case is not theirs to see (404).
    assert response.status_code in (403, 404) and not Referral.objects.exists()
