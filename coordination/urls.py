from django.urls import path

from . import views

urlpatterns = [
    path("referrals/", views.referral_list_page, name="referral-list"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral-detail"),
    path("referrals/<int:pk>/send/", views.referral_send_view, name="referral-send"),
    path("referrals/<int:pk>/withdraw/", views.referral_withdraw_view, name="referral-withdraw"),
    path("referrals/<int:pk>/accept/", views.referral_accept_view, name="referral-accept"),
    path("referrals/<int:pk>/reject/", views.referral_reject_view, name="referral-reject"),
    path("referrals/<int:pk>/respond/", views.referral_respond_view, name="referral-respond"),
    path("referrals/<int:pk>/complete/", views.referral_complete_view, name="referral-complete"),
    path("referrals/<int:pk>/attachments/", views.referral_attach_view, name="referral-attach"),
    path("referrals/<int:pk>/arrest-request/", views.referral_arrest_request_view, name="referral-arrest"),
    path(
        "referrals/<int:pk>/arrest-request/decide/",
        views.referral_arrest_decide_view,
        name="referral-arrest-decide",
    ),
    path("oversight/", views.oversight_page, name="oversight"),
]
