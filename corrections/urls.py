from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("supervisees/", views.caseload, name="caseload"),
    path("supervisees/<int:pk>/", views.supervisee_detail, name="supervisee-detail"),
]
