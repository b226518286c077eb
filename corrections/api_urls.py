from django.urls import path

from . import api, api_teams

urlpatterns = [
    path("supervisees/", api.SuperviseeListView.as_view(), name="api-supervisee-list"),
    path("supervisees/<int:pk>/", api.SuperviseeDetailView.as_view(), name="api-supervisee-detail"),
    path(
        "supervisees/<int:pk>/transition/",
        api.SuperviseeTransitionView.as_view(),
        name="api-supervisee-transition",
    ),
    path(
        "supervisees/<int:pk>/timeline/", api.SuperviseeTimelineView.as_view(), name="api-supervisee-timeline"
    ),
]

# Correction teams (CCL 25): corrections.api_teams
urlpatterns += [
    path("supervisees/<int:pk>/team/", api_teams.TeamView.as_view(), name="api-supervisee-team"),
    path(
        "supervisees/<int:pk>/team/<int:member_id>/remove/",
        api_teams.TeamMemberRemoveView.as_view(),
        name="api-supervisee-team-remove",
    ),
]
