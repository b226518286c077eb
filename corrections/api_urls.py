from django.urls import path

from . import api_teams

# The supervisee resource itself is served by workspace.api (it shows other apps' data too).
# Correction teams (CCL 25): corrections.api_teams
urlpatterns = [
    path("supervisees/<int:pk>/team/", api_teams.TeamView.as_view(), name="api-supervisee-team"),
    path(
        "supervisees/<int:pk>/team/<int:member_id>/remove/",
        api_teams.TeamMemberRemoveView.as_view(),
        name="api-supervisee-team-remove",
    ),
]
