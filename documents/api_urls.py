from django.urls import path

from . import api

urlpatterns = [
    path(
        "supervisees/<int:pk>/documents/",
        api.SuperviseeDocumentListView.as_view(),
        name="api-supervisee-documents",
    ),
    path("documents/<int:pk>/pdf/", api.DocumentPdfView.as_view(), name="api-document-pdf"),
    path("documents/<int:pk>/correct/", api.DocumentCorrectView.as_view(), name="api-document-correct"),
    path("notices/", api.NoticeListView.as_view(), name="api-notice-list"),
    path("notices/<int:pk>/receive/", api.NoticeReceiveView.as_view(), name="api-notice-receive"),
]
