from django.urls import path

from kla.fieldvisits import views

app_name = "fieldvisits"
urlpatterns = [
    path("", views.index, name="index"),
    path("plan/<int:evaluation_pk>/", views.plan, name="plan"),
    path("plan/<int:evaluation_pk>/lokasi/", views.site_add, name="site_add"),
    path("lokasi/<int:pk>/", views.site, name="site"),
    path("lokasi/<int:pk>/ceklis/", views.site_checklist, name="site_checklist"),
    path("lokasi/<int:pk>/catatan/", views.site_notes, name="site_notes"),
    path("lokasi/<int:pk>/foto/", views.photo_upload, name="photo_upload"),
    path("foto/<int:pk>/", views.photo, name="photo"),
    path("foto/<int:pk>/hapus/", views.photo_delete, name="photo_delete"),
    path("nilai/<int:evaluation_pk>/", views.points, name="points"),
    path("nilai/indikator/<int:entry_pk>/", views.points_save, name="points_save"),
    path("nilai/<int:evaluation_pk>/selesai/", views.finish, name="finish"),
]
