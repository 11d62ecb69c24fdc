from django.urls import path

from kla.reports import views, views_rad

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/unduh/", views.download, name="download"),
    path("lembar-nilai/<int:pk>/", views.score_sheet_pdf, name="score_sheet_pdf"),
    path("paket-bukti/evaluasi/<int:pk>/", views.evaluation_evidence_pack, name="evaluation_evidence_pack"),
    path("paket-bukti/indikator/<int:pk>/", views.entry_evidence_pack, name="entry_evidence_pack"),
    path("rad-kla/<str:code>/", views_rad.rad_recap, name="rad_recap"),
]
