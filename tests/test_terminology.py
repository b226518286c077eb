"""One word for one thing in Chinese (issue 13: the terms drifted). Each pair below is what a reader sees
side by side: a button and the status it leads to, two labels of one figure, a label and its field."""

import datetime as dt

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext

from coordination.constants import ReferralStatus
from supervision.constants import AlertStatus, LeaveStatus
from supervision.timeline import checkin_events
from tests.factories import CheckInFactory, SuperviseeFactory


@translation.override("zh-hans")
def test_a_referral_is_accepted_or_not_accepted_as_its_status_says():
    # The receiver's buttons read 受理 / 不予受理, as the statuses 已受理 / 不予受理 (not 接收 / 不予批准,
    # which is what a leave or a measure gets).
    assert str(ReferralStatus.ACCEPTED.label) == "已受理"
    assert pgettext("referral", "Accept") == "受理"
    assert pgettext("referral", "Reject") == str(ReferralStatus.REJECTED.label) == "不予受理"
    assert gettext("The referral was accepted.") == "事项已受理。"
    assert str(LeaveStatus.REJECTED.label) == "不予批准"


@translation.override("zh-hans")
def test_an_alert_is_acknowledged_with_the_word_of_its_status():
    assert gettext("Acknowledge") == "确认" and str(AlertStatus.ACKNOWLEDGED.label) == "已确认"
    assert "签收" not in gettext("Acknowledged: %(kind)s of %(name)s.")
    assert "签收" not in gettext("Needing action (open or acknowledged)")


@translation.override("zh-hans")
def test_the_on_time_share_has_one_name_and_from_a_date_is_not_a_sender():
    assert gettext("Reports made on time (share)") == gettext("Reports on time") == "按时报告率"
    assert gettext("From") == "发件单位"  # a referral's sender
    assert pgettext("date range", "From") == "自"


@pytest.mark.django_db
def test_the_timeline_says_hours_in_the_reader_s_language():
    case = SuperviseeFactory()
    CheckInFactory(supervisee=case, kind="community_service", on=dt.date(2026, 11, 20), hours=3)
    with translation.override("zh-hans"):
        summary = checkin_events(case, 10)[0].summary
    assert summary.endswith("3.0 小时") and " h" not in summary
    with translation.override("en"):
        assert checkin_events(case, 10)[0].summary.endswith("3.0 hours")
