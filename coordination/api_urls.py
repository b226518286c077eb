from django.urls import include, path

from .api import referrals

urlpatterns = [
    path("referrals/", referrals.ReferralListView.as_view(), name="api-referral-list"),
    path("referrals/<int:pk>/", referrals.ReferralDetailView.as_view(), name="api-referral-detail"),
    path("referrals/<int:pk>/send/", referrals.ReferralSendView.as_view(), name="api-referral-send"),
    path("referrals/<int:pk>/accept/", referrals.ReferralAcceptView.as_view(), name="api-referral-accept"),
    path("referrals/<int:pk>/reject/", referrals.ReferralRejectView.as_view(), name="api-referral-reject"),
    path("referrals/<int:pk>/respond/", referrals.ReferralRespondView.as_view(), name="api-referral-respond"),
    path(
        "referrals/<int:pk>/complete/", referrals.ReferralCompleteView.as_view(), name="api-referral-complete"
    ),
    path(
        "referrals/<int:pk>/withdraw/", referrals.ReferralWithdrawView.as_view(), name="api-referral-withdraw"
    ),
    path(
        "referrals/<int:pk>/arrest-request/",
        referrals.ReferralArrestRequestView.as_view(),
        name="api-referral-arrest-request",
    ),
    path(
        "referrals/<int:pk>/arrest-request/decide/",
        referrals.ReferralArrestDecisionView.as_view(),
        name="api-referral-arrest-decide",
    ),
    path(
        "referrals/<int:pk>/attachments/",
        referrals.ReferralAttachmentUploadView.as_view(),
        name="api-referral-attachments",
    ),
    path(
        "referrals/<int:pk>/attachments/<int:attachment_pk>/",
        referrals.ReferralAttachmentDownloadView.as_view(),
        name="api-referral-attachment",
    ),
    # The procuratorate's oversight views (coordination.oversight_urls, kept by their own module).
    path("", include("coordination.oversight_urls")),
]
