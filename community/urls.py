from django.urls import path

from . import views

urlpatterns = [
    path("activities/", views.activity_list_page, name="activity-list"),
    path("activities/new/", views.activity_new_page, name="activity-new"),
    path("activities/record/", views.activity_record_view, name="activity-record"),
    path("providers/", views.provider_list_page, name="provider-list"),
    path("providers/add/", views.provider_create_view, name="provider-add"),
]
