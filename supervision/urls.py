from django.urls import path

from . import views

urlpatterns = [
    path("supervisees/<int:pk>/checkins/", views.checkin_create, name="checkin-create"),
]
