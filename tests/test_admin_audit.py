"""The local rule tables edited in /admin/ are audited like a service's write: an addition, a change
(before and after of each changed field) and a deletion each leave one row in the trail. The last test
fails when an app registers an admin that can write without `AuditedAdminMixin`."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.test import RequestFactory

from accounts.admin import AuditedAdminMixin
from accounts.models import AuditEvent
from coordination.models import ReferralDeadline
from supervision.models import DisciplineRule, LeaveReason, LeaveRule, LeaveTier, ReportingRule
from tests.tools import admin_form_data

pytestmark = pytest.mark.django_db
PROJECT_APPS = {"accounts", "corrections", "supervision", "coordination", "reports"}
NEW_DATE = dt.date(2027, 1, 1)


@dataclass
class Table:
    model: type
    existing: dict  # finds one of the default rows of the data migrations
    change: dict  # field: (value before, value after), the after as the form sends it
    new: dict  # the form's fields for a new row (effective from NEW_DATE)

    @property
    def url(self) -> str:
        return f"/admin/{self.model._meta.app_label}/{self.model._meta.model_name}/"

    def __str__(self) -> str:
        return self.model._meta.label_lower


TABLES = [
    Table(
        ReportingRule,
        existing={"management_level": "strict", "duty": "report"},
        change={"every_days": (7, 5)},
        new={
            "management_level": "strict",
            "duty": "report",
            "every_days": 3,
            "qualifying_kinds": '["in_person"]',
        },
    ),
    Table(
        LeaveTier,
        existing={"approval_level": "justice_office"},
        change={"max_days": (7, 5)},
        new={"approval_level": "justice_office", "max_days": 3},
    ),
    Table(
        LeaveReason,
        existing={"code": "medical"},
        change={"name_en": ("Medical treatment", "Medical care")},
        new={"code": "holiday", "name_zh": "探亲休假", "name_en": "Holiday", "active": "on", "position": 9},
    ),
    Table(
        LeaveRule,
        existing={},
        change={"notice_days": (3, 5)},
        new={"notice_days": 2},
    ),
    Table(
        DisciplineRule,
        existing={},
        change={"admonitions_before_warning": (2, 3), "late_days_for_admonition": (10, 7)},
        new={"admonitions_before_warning": 1},
    ),
    Table(
        ReferralDeadline,
        existing={"kind": "revocation_proposal"},
        change={
            "days": (30, 20),
            "basis": (
                "Community Correction Law art. 48 para. 1: the court rules within 30 days of receiving "
                "the proposal",
                "",
            ),
        },
        new={"kind": "transfer", "days": 8, "basis": "local"},
    ),
]


@pytest.fixture
def admin_client(client, site_admin):
    client.force_login(site_admin)
    return client


def trail(table: Table):
    return list(AuditEvent.objects.filter(target_type=table.model._meta.label_lower).order_by("id"))


@pytest.mark.parametrize("table", TABLES, ids=str)
def test_a_change_is_audited_with_before_and_after(admin_client, site_admin, table):
    row = table.model.objects.get(district=None, **table.existing)
    url = f"{table.url}{row.pk}/change/"
    after = {name: values[1] for name, values in table.change.items()}
    response = admin_client.post(url, admin_form_data(admin_client.get(url), **after), REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 302, response.context["adminform"].form.errors
    row.refresh_from_db()
    assert {name: getattr(row, name) for name in after} == after
    [event] = trail(table)
    assert (event.action, event.target_id, event.actor_id) == ("update", str(row.pk), site_admin.pk)
    assert event.ip_address == "10.0.0.9"
    assert event.changes == {
        name: {"before": before, "after": value} for name, (before, value) in table.change.items()
    }


@pytest.mark.parametrize("table", TABLES, ids=str)
def test_an_addition_and_a_deletion_are_audited(admin_client, site_admin, table):
    fields = {**table.new, "effective_from": NEW_DATE.isoformat()}
    response = admin_client.post(
        f"{table.url}add/", admin_form_data(admin_client.get(f"{table.url}add/"), **fields)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    row = table.model.objects.get(effective_from=NEW_DATE)
    [created] = trail(table)
    assert (created.action, created.target_id, created.actor_id) == ("create", str(row.pk), site_admin.pk)
    assert created.changes["effective_from"] == {"before": None, "after": NEW_DATE.isoformat()}

    pk = row.pk
    assert admin_client.post(f"{table.url}{pk}/delete/", {"post": "yes"}).status_code == 302
    assert not table.model.objects.filter(pk=pk).exists()
    created, deleted = trail(table)
    assert (deleted.action, deleted.target_id, deleted.actor_id) == ("delete", str(pk), site_admin.pk)
    assert deleted.changes["effective_from"] == {"before": NEW_DATE.isoformat(), "after": None}
    # What was deleted can be read back from the trail: every field the addition recorded.
    assert {name: change["before"] for name, change in deleted.changes.items()} == {
        name: change["after"] for name, change in created.changes.items()
    }


def test_a_refused_change_writes_nothing(admin_client):
    rule = ReportingRule.objects.get(district=None, management_level="strict", duty="report")
    url = f"/admin/supervision/reportingrule/{rule.pk}/change/"
    # A rule needs an interval or hours (the check constraint reporting_rule_has_a_measure).
    response = admin_client.post(url, admin_form_data(admin_client.get(url), every_days=""))
    assert response.status_code == 200 and response.context["adminform"].form.errors
    assert not AuditEvent.objects.filter(target_type="supervision.reportingrule").exists()


def test_every_project_admin_that_can_write_is_audited(site_admin):
    request = RequestFactory().get("/admin/")
    request.user = site_admin
    writable, unaudited = [], []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        can_write = (
            model_admin.has_add_permission(request)
            or model_admin.has_change_permission(request)
            or model_admin.has_delete_permission(request)
        )
        if can_write:
            writable.append(model._meta.label_lower)
            if not isinstance(model_admin, AuditedAdminMixin):
                unaudited.append(model._meta.label_lower)
    assert unaudited == []
    # Guards the test itself: the admins it is about are among those it looked at.
    assert {str(table) for table in TABLES} | {"accounts.user", "accounts.agency"} <= set(writable)
