from django.urls import path

from kla.results import views

app_name = "results"
urlpatterns = [
    path("", views.public_index, name="public_index"),
    path("wilayah/<str:code>/", views.region, name="region"),
    path("<slug:cycle_code>/", views.public_cycle, name="public_cycle"),
    path("<slug:cycle_code>/evaluasi/<int:pk>/", views.score_sheet, name="score_sheet"),
    path("<slug:cycle_code>/pengumuman/", views.publication, name="publication"),
    path("<slug:cycle_code>/pengumuman/minta/", views.publication_request, name="publication_request"),
    path("<slug:cycle_code>/pengumuman/konfirmasi/", views.publication_confirm, name="publication_confirm"),
    path("<slug:cycle_code>/pengumuman/tarik/", views.publication_withdraw, name="publication_withdraw"),
]
