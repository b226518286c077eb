from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("supervisees/", views.caseload, name="caseload"),
    path("supervisees/<int:pk>/", views.supervisee_detail, name="supervisee-detail"),
]

urlpatterns += [
    path("supervisees/<int:pk>/team/", views.team_member_add_view, name="team-member-add"),
    path(
        "supervisees/<int:pk>/team/<int:member_pk>/remove/",
        views.team_member_remove_view,
        name="team-member-remove",
    ),
]
