from django.urls import path

from . import (
    audit,
    case_page,
    caseload,
    dashboard,
    digest,
    lifecycle,
    registration,
    reminder_settings,
    schedule,
    summary,
    transfers,
)

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("supervisees/", caseload.caseload, name="caseload"),
    # Registering a case, and the period its terms give (for the page's script).
    path("supervisees/new/", registration.supervisee_new, name="supervisee-new"),
    path("supervisees/new/period/", registration.supervisee_period, name="supervisee-new-period"),
    path("supervisees/<int:pk>/", case_page.supervisee_detail, name="supervisee-detail"),
    # The forms of the case page; a refusal re-renders the case page.
    path("supervisees/<int:pk>/checkins/", case_page.checkin_create, name="checkin-create"),
    path("supervisees/<int:pk>/leave/", case_page.leave_create, name="case-leave-create"),
    path("supervisees/<int:pk>/leave-permits/", case_page.permit_create, name="case-permit-create"),
    path("supervisees/<int:pk>/measures/", case_page.measure_create, name="case-measure-create"),
    path("supervisees/<int:pk>/referrals/", case_page.referral_draft_create, name="case-referral-create"),
    path("supervisees/<int:pk>/violations/", case_page.violation_create, name="case-violation-create"),
    path(
        "supervisees/<int:pk>/medical-reports/",
        case_page.medical_report_create,
        name="case-medical-report-create",
    ),
    path(
        "supervisees/<int:pk>/positioning/",
        case_page.positioning_propose_view,
        name="case-positioning-propose",
    ),
    path(
        "supervisees/<int:pk>/positioning/<int:order_pk>/extend/",
        case_page.positioning_extend_view,
        name="case-positioning-extend",
    ),
    path(
        "supervisees/<int:pk>/positioning/<int:order_pk>/end/",
        case_page.positioning_end_view,
        name="case-positioning-end",
    ),
    path(
        "supervisees/<int:pk>/procuratorial-notices/",
        case_page.procuratorial_notice_create,
        name="case-procuratorial-notice",
    ),
    path("supervisees/<int:pk>/team/", case_page.team_member_add_view, name="team-member-add"),
    path("supervisees/<int:pk>/needs/", case_page.need_record_view, name="need-record"),
    path("supervisees/<int:pk>/needs/<int:need_pk>/match/", case_page.need_match_view, name="need-match"),
    path("supervisees/<int:pk>/needs/<int:need_pk>/close/", case_page.need_close_view, name="need-close"),
    path(
        "supervisees/<int:pk>/team/<int:member_pk>/remove/",
        case_page.team_member_remove_view,
        name="team-member-remove",
    ),
    path(
        "supervisees/<int:pk>/documents/<int:document_pk>/correct/",
        case_page.document_correct_view,
        name="case-document-correct",
    ),
    # The case's lifecycle (contract v1.1: every transition the reader may make, on the case page) and
    # the commission's arrival dates (CCL 20).
    path("supervisees/<int:pk>/transition/", lifecycle.transition_create, name="supervisee-transition"),
    path("supervisees/<int:pk>/commission/", lifecycle.commission_update, name="commission-update"),
    path("supervisees/<int:pk>/summary/", summary.supervisee_summary, name="supervisee-summary"),
    path("audit/", audit.audit_trail, name="audit-trail"),
    # Transfers of the place of execution (CCL 27 para. 2): workspace.transfers
    path("supervisees/<int:pk>/transfer/", transfers.transfer_propose_view, name="transfer-propose"),
    path("transfers/", transfers.transfers, name="transfers"),
    path("transfers/<int:pk>/withdraw/", transfers.transfer_withdraw_view, name="transfer-withdraw"),
    path("transfers/<int:pk>/accept/", transfers.transfer_accept_view, name="transfer-accept"),
    path("transfers/<int:pk>/refuse/", transfers.transfer_refuse_view, name="transfer-refuse"),
    # The schedule (who reports when), the morning digest and the reminders' settings.
    path("schedule/", schedule.schedule, name="schedule"),
    path("schedule/sign-in/", schedule.schedule_sign_in, name="schedule-sign-in"),
    path("digest/", digest.digest, name="digest"),
    path("settings/reminders/", reminder_settings.reminder_settings, name="reminder-settings"),
]
