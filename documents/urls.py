from django.urls import path

from . import views

urlpatterns = [
    path("notices/", views.notices, name="notice-list"),
    path("notices/<int:pk>/receive/", views.notice_receive_view, name="notice-receive"),
]
