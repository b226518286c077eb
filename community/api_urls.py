from django.urls import path

from . import api

urlpatterns = [
    path("activities/", api.ActivityListView.as_view(), name="api-activity-list"),
    path("providers/", api.ProviderListView.as_view(), name="api-provider-list"),
]
