from django.urls import path

from . import api_teams, api_transfers

# The supervisee resource itself is served by workspace.api (it shows other apps' data too).
# Correction teams (CCL 25): corrections.api_teams
urlpatterns = [
    path("supervisees/<int:pk>/team/", api_teams.TeamView.as_view(), name="api-supervisee-team"),
    path(
        "supervisees/<int:pk>/team/<int:member_id>/remove/",
        api_teams.TeamMemberRemoveView.as_view(),
        name="api-supervisee-team-remove",
    ),
    # Transfers of the place of execution (CCL 27 para. 2): corrections.api_transfers
    path("transfers/", api_transfers.TransferListView.as_view(), name="api-transfer-list"),
    path("transfers/<int:pk>/", api_transfers.TransferDetailView.as_view(), name="api-transfer-detail"),
    path(
        "transfers/<int:pk>/accept/", api_transfers.TransferAcceptView.as_view(), name="api-transfer-accept"
    ),
    path(
        "transfers/<int:pk>/refuse/", api_transfers.TransferRefuseView.as_view(), name="api-transfer-refuse"
    ),
    path(
        "transfers/<int:pk>/withdraw/",
        api_transfers.TransferWithdrawView.as_view(),
        name="api-transfer-withdraw",
    ),
]
