from django.urls import path

from . import api

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
