"""Users and agencies edited in /admin/ (by a superuser, through Django's test client) are written to
the audit trail: before and after of each changed field, additions and deletions too, and never a
password hash."""

import json

import pytest
from django.contrib.auth.models import Group

from accounts.constants import AgencyKind, Role
from accounts.models import Agency, AuditEvent, User
from accounts.services import HIDDEN_VALUE
from tests.factories import AgencyFactory, UserFactory
from tests.tools import admin_form_data

pytestmark = pytest.mark.django_db
USERS = "/admin/accounts/user/"


@pytest.fixture
def admin_client(client, site_admin):
    client.force_login(site_admin)
    return client


def events(**filters):
    return list(AuditEvent.objects.filter(**filters).exclude(action="sign_in").order_by("id"))


def test_a_change_of_role_and_agency_is_audited_with_before_and_after(
    admin_client, site_admin, officer, office, bureau
):
    page = admin_client.get(f"{USERS}{officer.pk}/change/")
    response = admin_client.post(
        f"{USERS}{officer.pk}/change/",
        admin_form_data(page, role=Role.JUSTICE_SUPERVISOR, agency=bureau.pk),
        REMOTE_ADDR="10.0.0.7",
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    officer.refresh_from_db()
    assert (officer.role, officer.agency_id) == (Role.JUSTICE_SUPERVISOR, bureau.pk)
    [event] = events(target_type="accounts.user")
    assert (event.action, event.target_id, event.actor_id) == ("update", str(officer.pk), site_admin.pk)
    assert event.ip_address == "10.0.0.7"
    assert event.changes == {
        "role": {"before": Role.JUSTICE_OFFICER, "after": Role.JUSTICE_SUPERVISOR},
        "agency": {"before": office.pk, "after": bureau.pk},
    }


def test_a_change_of_groups_is_audited_and_a_save_without_change_writes_nothing(admin_client, officer):
    group = Group.objects.create(name="reviewers")
    page = admin_client.get(f"{USERS}{officer.pk}/change/")
    assert admin_client.post(f"{USERS}{officer.pk}/change/", admin_form_data(page)).status_code == 302
    assert events(target_type="accounts.user") == []
    page = admin_client.get(f"{USERS}{officer.pk}/change/")
    admin_client.post(f"{USERS}{officer.pk}/change/", admin_form_data(page, groups=[group.pk]))
    [event] = events(target_type="accounts.user")
    assert event.changes == {"groups": {"before": [], "after": [group.pk]}}


def test_a_refused_change_writes_nothing(admin_client, officer, bureau):
    # A correction officer must work for a justice office (User.clean): the form is shown again.
    page = admin_client.get(f"{USERS}{officer.pk}/change/")
    response = admin_client.post(f"{USERS}{officer.pk}/change/", admin_form_data(page, agency=bureau.pk))
    assert response.status_code == 200 and response.context["adminform"].form.errors
    assert events(target_type="accounts.user") == []


def test_adding_a_user_is_audited_without_the_password_hash(admin_client, site_admin, office):
    response = admin_client.post(
        f"{USERS}add/",
        {
            "username": "new_officer",
            "usable_password": "true",
            "password1": "Sheng-Ri-2026-x",
            "password2": "Sheng-Ri-2026-x",
            "role": Role.JUSTICE_OFFICER,
            "agency": office.pk,
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="new_officer")
    [event] = events(target_type="accounts.user")
    assert (event.action, event.target_id, event.actor_id) == ("create", str(user.pk), site_admin.pk)
    assert event.changes["username"] == {"before": None, "after": "new_officer"}
    assert event.changes["role"] == {"before": None, "after": Role.JUSTICE_OFFICER}
    assert event.changes["agency"] == {"before": None, "after": office.pk}
    assert event.changes["password"] == {"before": None, "after": HIDDEN_VALUE}
    assert user.password not in json.dumps(event.changes)


def test_the_password_page_records_the_change_and_never_a_hash(admin_client, officer):
    old_hash = officer.password
    response = admin_client.post(
        f"{USERS}{officer.pk}/password/",
        {"password1": "Xin-Mi-Ma-2026", "password2": "Xin-Mi-Ma-2026", "set_usable_password": "true"},
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("Xin-Mi-Ma-2026")
    [event] = events(target_type="accounts.user")
    assert event.action == "update"
    assert event.changes == {"password": {"before": HIDDEN_VALUE, "after": HIDDEN_VALUE}}
    trail = json.dumps([e.changes for e in AuditEvent.objects.all()])
    assert old_hash not in trail and officer.password not in trail
    # A refused form (the two passwords differ) changes and records nothing.
    admin_client.post(f"{USERS}{officer.pk}/password/", {"password1": "Aa-123456-x", "password2": "other"})
    assert len(events(target_type="accounts.user")) == 1


def test_deleting_a_user_is_audited_with_what_was_deleted(admin_client, site_admin, office):
    user = UserFactory(username="leaver", role=Role.SOCIAL_WORKER, agency=office)
    pk = user.pk
    response = admin_client.post(f"{USERS}{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=pk).exists()
    [event] = events(target_type="accounts.user")
    assert (event.action, event.target_id, event.actor_id) == ("delete", str(pk), site_admin.pk)
    assert event.changes["username"] == {"before": "leaver", "after": None}
    assert event.changes["role"] == {"before": Role.SOCIAL_WORKER, "after": None}
    assert event.changes["agency"] == {"before": office.pk, "after": None}
    assert event.changes["password"] == {"before": HIDDEN_VALUE, "after": None}


def test_the_delete_selected_action_audits_each_row(admin_client, office):
    users = [UserFactory(username=f"leaver{n}", role=Role.SOCIAL_WORKER, agency=office) for n in range(2)]
    response = admin_client.post(
        USERS, {"action": "delete_selected", "_selected_action": [u.pk for u in users], "post": "yes"}
    )
    assert response.status_code == 302
    assert not User.objects.filter(username__startswith="leaver").exists()
    deleted = events(target_type="accounts.user", action="delete")
    assert sorted(e.target_id for e in deleted) == sorted(str(u.pk) for u in users)
    assert {e.changes["username"]["before"] for e in deleted} == {"leaver0", "leaver1"}


def test_moving_an_agency_to_another_parent_is_audited(admin_client, district, office, bureau):
    other_bureau = AgencyFactory(name="另一司法局", kind=AgencyKind.JUSTICE_BUREAU, district=district)
    url = f"/admin/accounts/agency/{office.pk}/change/"
    response = admin_client.post(url, admin_form_data(admin_client.get(url), parent=other_bureau.pk))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Agency.objects.get(pk=office.pk).parent_id == other_bureau.pk
    [event] = events(target_type="accounts.agency")
    assert event.action == "update"
    assert event.changes == {"parent": {"before": bureau.pk, "after": other_bureau.pk}}
