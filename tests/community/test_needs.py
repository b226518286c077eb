"""A case's needs: recorded on the case page, matched to a provider whose offers answer the need,
followed to an outcome; one open need of a kind; officers of the office and supervisors only; audited and
on the timeline."""

import pytest

from accounts.models import AuditEvent
from community.models import Need
from community.services import provider_create
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(office, officer):
    return SuperviseeFactory(justice_office=office, officer=officer)


@pytest.fixture
def employer(supervisor):
    return provider_create(by=supervisor, name="鲁南建材", kind="employer", offers=["employment_help"])


def test_a_need_is_recorded_matched_and_followed_to_its_outcome(client, officer, case, employer, supervisor):
    provider_create(by=supervisor, name="心理协会", kind="organisation", offers=["counselling"])
    client.force_login(officer)
    url = f"/supervisees/{case.pk}/needs/"
    assert client.post(url, {"need-kind": "employment", "need-note": "失业半年"}).status_code == 302
    # One open need of a kind.
    again = client.post(url, {"need-kind": "employment"})
    assert again.status_code == 400 and "already open" in again.text
    need = Need.objects.get()
    page = client.get(f"/supervisees/{case.pk}/")
    # Only the provider that offers employment help is offered for the match.
    assert (
        "鲁南建材" in page.text and "心理协会" not in page.text.split('id="needs"')[1].split("</section>")[0]
    )
    # Met before matched is refused: the need must be matched first.
    early = client.post(
        f"{url}{need.pk}/close/", {f"close-{need.pk}-met": "yes", f"close-{need.pk}-outcome": "x"}
    )
    assert early.status_code == 409
    response = client.post(f"{url}{need.pk}/match/", {f"match-{need.pk}-provider": employer.pk})
    assert response.status_code == 302
    missing = client.post(
        f"{url}{need.pk}/close/", {f"close-{need.pk}-met": "yes", f"close-{need.pk}-outcome": ""}
    )
    assert missing.status_code == 400
    done = client.post(
        f"{url}{need.pk}/close/", {f"close-{need.pk}-met": "yes", f"close-{need.pk}-outcome": "已入职"}
    )
    assert done.status_code == 302
    need.refresh_from_db()
    assert (need.status, need.provider, need.outcome) == ("met", employer, "已入职")
    assert AuditEvent.objects.filter(target_type="community.need", supervisee_id=case.pk).count() == 3
    timeline = client.get(f"/supervisees/{case.pk}/").text
    assert (
        f'id="case-need-{need.pk}"' in timeline
        and f'class="event event-need" id="need-{need.pk}"' in timeline
    )


def test_who_may_follow_needs(client, case, other_office_officer, procurator, social_worker, officer):
    url = f"/supervisees/{case.pk}/needs/"
    for user, status in ((procurator, 403), (social_worker, 403), (other_office_officer, 404)):
        client.force_login(user)
        assert client.post(url, {"need-kind": "housing"}).status_code == status, user
    assert not Need.objects.exists()


def test_a_provider_that_offers_nothing_for_the_need_is_refused(officer, case, supervisor):
    from django.core.exceptions import ValidationError

    from community.services import need_match, need_record

    school = provider_create(by=supervisor, name="职校", kind="school", offers=["vocational_training"])
    need = need_record(supervisee=case, by=officer, kind="housing")
    with pytest.raises(ValidationError) as refused:
        need_match(need=need, by=officer, provider=school)
    assert "provider" in refused.value.message_dict
