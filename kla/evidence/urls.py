from django.urls import path

from kla.evidence import views

app_name = "evidence"
urlpatterns = [
    path("entri/<int:pk>/bukti/<int:question_pk>/", views.evidence_upload, name="upload"),
    path("entri/<int:pk>/bukti/<int:question_pk>/tautkan/", views.evidence_link, name="link"),
    path("bukti/<int:pk>/unduh/", views.evidence_download, name="download"),
    path("bukti/<int:pk>/hapus/", views.evidence_delete, name="delete"),
    path("bukti/<int:pk>/pulihkan/", views.evidence_restore, name="restore"),
    path("bukti/<int:pk>/konfirmasi/", views.evidence_confirm, name="confirm"),
    path("evaluasi/<int:pk>/bawa-bukti/", views.evidence_carry_forward, name="carry_forward"),
]
