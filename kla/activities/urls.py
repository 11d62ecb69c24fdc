from django.urls import path

from kla.activities import views

app_name = "activities"
urlpatterns = [
    path("", views.index, name="index"),
    path("wilayah/<str:code>/", views.region, name="region"),
    path("wilayah/<str:code>/baru/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/ubah/", views.edit, name="edit"),
    path("<int:pk>/berkas/", views.file_upload, name="file_upload"),
    path("berkas/<int:pk>/", views.file_download, name="file_download"),
    path("berkas/<int:pk>/hapus/", views.file_remove, name="file_remove"),
    path("pilih/<int:entry_pk>/<int:question_pk>/", views.pick, name="pick"),
]
