"""Transfers of the place of execution in the browser (workspace/transfers.py): the case page's panel where
the sending office proposes (with the error summary of every form) and withdraws, and `/transfers/`, where
the receiving district's supervisor accepts or refuses, in both languages."""
# ruff: noqa: F811  (the second district's fixtures are imported, then asked for by name)

import pytest
from django.utils import translation

from corrections.constants import TransferStatus
from corrections.models import Transfer
from corrections.transfers import transfer_propose
from tests.corrections.transfer_world import (  # noqa: F401  (fixtures)
    agencies_b,
    bureau_b,
    district_b,
    office_b,
    receiving_officer,
    receiving_supervisor,
    transfer_case,
)

pytestmark = pytest.mark.django_db


def _proposed(case, officer, office_b):
    return transfer_propose(
        supervisee=case, by=officer, to_office=office_b, reason="迁居", new_residence="山亭区山城街道 8 号"
    )


def test_the_office_proposes_from_the_case_page(client, transfer_case, officer, office_b, other_office):
    client.force_login(officer)
    html = client.get(f"/supervisees/{transfer_case.pk}/").content.decode()
    panel = html[html.index('id="place-transfer"') :]
    panel = panel[: panel.index("</section>")]
    assert f'action="/supervisees/{transfer_case.pk}/transfer/"' in panel
    # Offered: offices of other districts only.
    assert f'<option value="{office_b.pk}"' in panel and f'<option value="{other_office.pk}"' not in panel

    response = client.post(f"/supervisees/{transfer_case.pk}/transfer/", {"transfer-to_office": office_b.pk})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html and "Give the new residence." in html
    assert not Transfer.objects.exists()

    response = client.post(
        f"/supervisees/{transfer_case.pk}/transfer/",
        {"transfer-to_office": office_b.pk, "transfer-reason": "迁居", "transfer-new_residence": "山亭区"},
    )
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    assert transfer.status == TransferStatus.PROPOSED and transfer.proposed_by == officer
    html = client.get(f"/supervisees/{transfer_case.pk}/").content.decode()
    assert "Withdraw the proposal" in html and "Propose the transfer" not in html
    assert client.post(f"/transfers/{transfer.pk}/withdraw/").status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.WITHDRAWN


def test_the_receiving_supervisor_refuses_with_a_reason_and_accepts_in_chinese(
    client, transfer_case, officer, office_b, agencies_b, receiving_supervisor
):
    transfer = _proposed(transfer_case, officer, office_b)
    client.force_login(receiving_supervisor)
    html = client.get("/transfers/").content.decode()
    assert f'action="/transfers/{transfer.pk}/accept/"' in html and transfer_case.name in html

    response = client.post(f"/transfers/{transfer.pk}/refuse/", {f"refuse-{transfer.pk}-reason": " "})
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.PROPOSED

    with translation.override("zh-hans"):
        html = client.get("/transfers/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "同意接收" in html and "变更执行地" in html

    response = client.post(
        f"/transfers/{transfer.pk}/accept/", {f"accept-{transfer.pk}-to_office": office_b.pk}
    )
    assert response.status_code == 302
    transfer.refresh_from_db()
    transfer_case.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED and transfer_case.justice_office == office_b


def test_the_proposer_and_other_roles_may_not_answer(
    client, transfer_case, officer, supervisor, office_b, agencies_b, receiving_supervisor
):
    transfer = _proposed(transfer_case, officer, office_b)
    client.force_login(officer)
    assert client.post(f"/transfers/{transfer.pk}/accept/", {}).status_code == 403
    client.force_login(supervisor)  # the sending district's supervisor sees it, but does not answer it
    assert 'action="/transfers/' not in client.get("/transfers/").content.decode()
    assert client.post(f"/transfers/{transfer.pk}/accept/", {}).status_code == 403
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.PROPOSED


def test_after_the_transfer_the_sender_reads_the_case_without_forms(
    client, transfer_case, officer, office_b, agencies_b, receiving_supervisor
):
    from corrections.transfers import transfer_accept

    transfer_accept(transfer=_proposed(transfer_case, officer, office_b), by=receiving_supervisor)
    client.force_login(officer)
    html = client.get(f"/supervisees/{transfer_case.pk}/").content.decode()
    assert 'id="place-transfer"' in html and 'name="kind"' not in html  # no quick log: read-only
