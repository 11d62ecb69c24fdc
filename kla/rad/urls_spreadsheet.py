"""The RAD KLA spreadsheet pages (kla/rad/views_spreadsheet.py), included from config/urls.py under
/rad/lembar-kerja/ (its own module: the RAD pages are in kla/rad/urls.py)."""

from django.urls import path

from kla.rad import views_spreadsheet as views

app_name = "rad_spreadsheet"
urlpatterns = [
    path("<int:pk>/templat-rencana.xlsx", views.plan_template, name="plan_template"),
    path("<int:pk>/impor-rencana/", views.plan_import, name="plan_import"),
    path("<int:pk>/templat-realisasi.xlsx", views.realisation_template, name="realisation_template"),
    path("<int:pk>/impor-realisasi/", views.realisation_import, name="realisation_import"),
]
