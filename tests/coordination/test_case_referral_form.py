"""A referral drafted from the case page, then sent from its own page, with documents attached there.
The addressees are the district's agencies and the case's deciding agency; a refusal keeps what was
typed and names the field; read-only roles get no form and 403; out of scope is 404."""

import pytest
from django.test import override_settings
from django.utils import translation

from accounts.constants import AgencyKind
from coordination.models import Referral, ReferralAttachment
from tests.factories import AgencyFactory, DistrictFactory, SuperviseeFactory

from .conftest import PDF_BYTES, upload

pytestmark = pytest.mark.django_db


def draft(client, case, **data):
    return client.post(
        f"/supervisees/{case.pk}/referrals/",
        {f"referral-{name}": value for name, value in data.items()},
    )


def test_the_addressees_are_the_district_and_the_deciding_agency(client, officer, case, agencies, office):
    elsewhere = DistrictFactory(name="市中区", code="370402")
    prison = AgencyFactory(name="鲁南监狱", kind=AgencyKind.PRISON, district=elsewhere)
    stranger = AgencyFactory(name="市中区人民法院", kind=AgencyKind.COURT, district=elsewhere)
    parolee = SuperviseeFactory(
        justice_office=office, officer=officer, sentence__category="parole", sentence__deciding_agency=prison
    )
    client.force_login(officer)
    choices = client.get(f"/supervisees/{parolee.pk}/").context["action_panels"]
    form = next(
        panel["form"] for panel in choices if panel["template"] == "coordination/_case_referral_form.html"
    )
    offered = set(form.fields["to_agency"].queryset)
    assert prison in offered and agencies["police"] in offered and agencies["court"] in offered
    assert stranger not in offered and office not in offered  # never one's own agency


def test_an_officer_drafts_a_referral_and_lands_on_its_page_to_send_it(client, officer, case, agencies):
    client.force_login(officer)
    response = draft(
        client, case, to_agency=agencies["police"].pk, kind="absconder_search", summary="失联三天，请协助查找"
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/referrals/{referral.pk}/"
    assert (referral.status, referral.from_agency, referral.to_agency) == (
        "draft",
        officer.agency,
        agencies["police"],
    )
    page = client.get(response["Location"])
    assert page.context["can"]["send"] and page.context["can"]["attach"]
    assert client.post(f"/referrals/{referral.pk}/send/", {"confirm": "yes"}).status_code == 302
    assert Referral.objects.get().status == "sent"


def test_a_refused_draft_keeps_what_was_typed_and_names_the_field(client, officer, case, agencies):
    client.force_login(officer)
    # An absconder search goes to the police, not the court: the service says so by the field.
    response = draft(
        client, case, to_agency=agencies["court"].pk, kind="absconder_search", summary="请协助查找"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_referral-to_agency-errors"' in html and "请协助查找" in html
    assert f'<option value="{agencies["court"].pk}" selected>' in html
    response = draft(client, case, to_agency=agencies["police"].pk, kind="absconder_search", summary="  ")
    assert response.status_code == 400 and 'id="id_referral-summary-errors"' in response.content.decode()
    assert not Referral.objects.exists()


def test_an_agency_outside_the_choices_is_refused_by_the_field(client, officer, case):
    stranger = AgencyFactory(kind=AgencyKind.POLICE, district=DistrictFactory(code="370499"))
    client.force_login(officer)
    response = draft(client, case, to_agency=stranger.pk, kind="absconder_search", summary="请协助")
    assert response.status_code == 400 and response.context["action_panels"]
    assert 'id="id_referral-to_agency-errors"' in response.content.decode()
    assert not Referral.objects.exists()


def test_read_only_roles_get_no_form_and_403_and_out_of_scope_is_404(
    client, procurator, judge, other_office_officer, case, agencies
):
    data = {"to_agency": agencies["police"].pk, "kind": "absconder_search", "summary": "请协助查找"}
    for user in (procurator, judge):
        client.force_login(user)
        assert (
            f'action="/supervisees/{case.pk}/referrals/"'
            not in client.get(f"/supervisees/{case.pk}/").content.decode()
        )
        assert draft(client, case, **data).status_code == 403
    client.force_login(other_office_officer)
    assert draft(client, case, **data).status_code == 404
    assert not Referral.objects.exists()


# Attachments on the referral page.


@translation.override("en")
def test_a_party_attaches_a_pdf_and_sees_the_limit_and_types(client, officer, police_referral):
    client.force_login(officer)
    html = client.get(f"/referrals/{police_referral.pk}/").content.decode()
    assert 'enctype="multipart/form-data"' in html and "at most 10.0" in html and "OFD" in html
    response = client.post(
        f"/referrals/{police_referral.pk}/attachments/", {"attach-file": upload("协查函.pdf", PDF_BYTES)}
    )
    assert response.status_code == 302
    attachment = ReferralAttachment.objects.get()
    assert (attachment.original_name, attachment.content_type) == ("协查函.pdf", "application/pdf")
    assert "协查函.pdf" in client.get(f"/referrals/{police_referral.pk}/").content.decode()


def test_a_refused_attachment_is_named_by_the_field(client, officer, police_referral):
    client.force_login(officer)
    url = f"/referrals/{police_referral.pk}/attachments/"
    response = client.post(url, {"attach-file": upload("说明.txt", b"plain text, not a document")})
    assert response.status_code == 400 and response.context["attach_form"].errors["file"]
    assert 'id="id_attach-file-errors"' in response.content.decode()
    response = client.post(url, {})
    assert response.status_code == 400 and response.context["attach_form"].errors["file"]
    with override_settings(REFERRAL_ATTACHMENT_MAX_BYTES=10):
        response = client.post(url, {"attach-file": upload("大.pdf", PDF_BYTES)})
    assert response.status_code == 400 and "MiB" in str(response.context["attach_form"].errors["file"])
    assert not ReferralAttachment.objects.exists()


def test_who_may_attach(
    client, procurator, police, supervisor, other_office_officer, police_referral, sent_referral
):
    url = f"/referrals/{sent_referral.pk}/attachments/"
    client.force_login(procurator)  # reads the district's referrals, is no party to this one
    assert 'action="' + url not in client.get(f"/referrals/{sent_referral.pk}/").content.decode()
    assert client.post(url, {"attach-file": upload("a.pdf", PDF_BYTES)}).status_code == 403
    client.force_login(other_office_officer)
    assert client.post(url, {"attach-file": upload("a.pdf", PDF_BYTES)}).status_code == 404
    client.force_login(police)  # the receiver, once sent
    assert client.post(url, {"attach-file": upload("回执.pdf", PDF_BYTES)}).status_code == 302
    assert ReferralAttachment.objects.get().uploaded_by == police
