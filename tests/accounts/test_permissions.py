"""Authorize first (docs/roles.md principle 2; accounts/permissions.py): a role that may never take an action
is refused by its role alone, 403 before the body or form is read and before the record is looked up.
The API's side is in tests/test_permission_matrix.py (each row's `never`); here the rule itself and the
pages' forms, which follow the same order."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from rest_framework.test import APIRequestFactory

from accounts.permissions import RoleRule, role_permission
from coordination.services import referral_create, referral_send
from corrections.teams import team_member_add
from supervision.models import Alert
from supervision.services.leave import leave_request_create
from supervision.services.measures import DECIDE_MEASURES, measure_propose
from tests.factories import SuperviseeFactory, UserFactory
from tests.test_bad_input import counts


def test_a_role_rule_lets_reads_through_and_refuses_other_roles_writes():
    rule = RoleRule(frozenset({"justice_supervisor"}), "only supervisors")
    permission = role_permission(rule)()
    assert role_permission(rule) is role_permission(rule)  # one class per rule
    factory = APIRequestFactory()
    supervisor = UserFactory.build(role="justice_supervisor")
    police = UserFactory.build(role="police")
    for user, method, allowed in [
        (police, "get", True),
        (police, "head", True),
        (police, "options", True),
        (police, "post", False),
        (police, "patch", False),
        (supervisor, "post", True),
        (AnonymousUser(), "post", False),
    ]:
        request = getattr(factory, method)("/")
        request.user = user
        assert permission.has_permission(request, view=None) is allowed, (user, method)
    assert permission.message == "only supervisors"


# --- the pages' forms -----------------------------------------------------------------------------------


@pytest.fixture
def world(office, officer, colleague, agencies):
    case = SuperviseeFactory(justice_office=office, officer=officer, intake_date=dt.date(2026, 1, 15))
    start = timezone.localdate() + dt.timedelta(days=1)
    leave = leave_request_create(
        supervisee=case, by=colleague, destination="济南", reason="探亲", start_date=start, end_date=start
    )
    measure = measure_propose(
        supervisee=case, by=officer, kind="admonition", reason="迟到", occurred_on=timezone.localdate()
    )
    alert = Alert.objects.create(supervisee=case, kind="missed_report", due_date=dt.date(2026, 11, 1))
    member = team_member_add(supervisee=case, by=officer, name="赵母", role="family")
    draft = referral_create(
        supervisee=case, by=officer, to_agency=agencies["police"], kind="absconder_search", summary="失联"
    )
    sent = referral_create(
        supervisee=case, by=officer, to_agency=agencies["police"], kind="absconder_search", summary="失联"
    )
    referral_send(referral=sent, by=officer)
    return {
        "case": case.pk,
        "leave": leave.pk,
        "measure": measure.pk,
        "alert": alert.pk,
        "member": member.pk,
        "draft": draft.pk,
        "sent": sent.pk,
    }


NEVER_CHANGE_CASES = ("procurator", "judge", "police", "social_worker")
NEVER_SEND = ("judge", "police", "social_worker")
NEVER_ACT = ("social_worker",)
# (path, roles refused by their role alone, form data that is bad for a role that may act, that role)
PAGE_POSTS = [
    (
        "/supervisees/{case}/checkins/",
        ("procurator", "judge", "police"),
        {"kind": "telepathy", "occurred_at": "yesterday"},
        "officer",
    ),
    ("/supervisees/{case}/leave/", NEVER_CHANGE_CASES, {"leave-start_date": "someday"}, "officer"),
    ("/supervisees/{case}/measures/", NEVER_CHANGE_CASES, {"measure-kind": "caning"}, "officer"),
    ("/supervisees/{case}/referrals/", NEVER_SEND, {"referral-kind": "pizza"}, "officer"),
    ("/supervisees/{case}/team/", NEVER_CHANGE_CASES, {"team-role": "king"}, "officer"),
    ("/supervisees/{case}/team/{member}/remove/", NEVER_CHANGE_CASES, None, None),
    ("/alerts/{alert}/acknowledge/", NEVER_CHANGE_CASES, None, None),
    ("/alerts/acknowledge/", NEVER_CHANGE_CASES, {"alert": "x"}, "officer"),
    ("/alerts/{alert}/resolve/", NEVER_CHANGE_CASES, {"alert-{alert}-note": "x" * 2001}, "officer"),
    ("/approvals/leave/{leave}/approve/", NEVER_CHANGE_CASES, {"leave-{leave}-note": "x" * 2001}, "officer"),
    (
        "/approvals/measures/{measure}/approve/",
        ("officer", "other_office_officer", *NEVER_CHANGE_CASES),
        {"measure-{measure}-note": "x" * 2001},
        "supervisor",
    ),
    ("/referrals/{draft}/send/", NEVER_SEND, None, None),
    ("/referrals/{sent}/withdraw/", NEVER_SEND, None, None),
    ("/referrals/{sent}/accept/", NEVER_ACT, None, None),
    ("/referrals/{sent}/reject/", NEVER_ACT, {"reject-note": ""}, "police"),
    ("/referrals/{sent}/respond/", NEVER_ACT, {"reply-body": "   "}, "officer"),
    ("/referrals/{sent}/complete/", NEVER_ACT, None, None),
    ("/referrals/{sent}/attachments/", NEVER_ACT, {"attach-file": "not a file"}, "officer"),
    (
        "/supervisees/{case}/transition/",
        NEVER_CHANGE_CASES,
        {"to": "absconded", "date": "someday"},
        "officer",
    ),
    (
        "/supervisees/{case}/commission/",
        NEVER_CHANGE_CASES,
        {"sentence_notice_received_date": "x"},
        "officer",
    ),
    (
        "/supervisees/{case}/procuratorial-notices/",
        ("officer", "supervisor", "judge", "police", "social_worker"),
        {"notice-to_agency": "abc"},
        "procurator",
    ),
]
REFUSED = [(path, role, data) for path, never, data, _ in PAGE_POSTS for role in never]


def _fill(template: str, world: dict) -> str:
    return template.format(**world)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "role", "data"), REFUSED)
def test_a_page_refuses_a_role_that_may_never_act_before_reading_the_form(
    request, client, world, path, role, data
):
    client.force_login(request.getfixturevalue(role))
    before = counts()
    url = _fill(path, world)
    bad = {_fill(k, world): v for k, v in (data or {}).items()}
    assert client.post(url, bad).status_code == 403
    # The same with a well-formed file, for the one form that takes one.
    if "attachments" in path:
        pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
        assert client.post(url, {"attach-file": pdf}).status_code == 403
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "data", "role"), [(path, data, role) for path, _never, data, role in PAGE_POSTS if data]
)
def test_the_same_form_from_a_role_that_may_act_is_400(request, client, world, path, data, role):
    """So the refusal above came first: for a role that may act, this form data is bad input."""
    client.force_login(request.getfixturevalue(role))
    bad = {_fill(k, world): v for k, v in data.items()}
    assert client.post(_fill(path, world), bad).status_code == 400


@pytest.mark.django_db
@translation.override("en")
def test_the_refusal_names_the_action_not_the_case(client, world, police, other_office_officer):
    """The police cannot see this measure; they are refused all the same, by their role, with the rule's
    words; so is an officer of another office (who got 404 before)."""
    for user in (police, other_office_officer):
        client.force_login(user)
        response = client.post(f"/approvals/measures/{world['measure']}/approve/")
        assert response.status_code == 403
        assert str(DECIDE_MEASURES.refusal) in response.content.decode()
