from django.urls import path

from kla.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/unduh/", views.download, name="download"),
    path("lembar-nilai/<int:pk>/", views.score_sheet_pdf, name="score_sheet_pdf"),
]
