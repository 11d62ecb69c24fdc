from django.urls import path

from kla.agencies import views

app_name = "agencies"
urlpatterns = [
    path("instansi/", views.index, name="index"),
    path("instansi/templat.csv", views.import_template, name="import_template"),
    path("instansi/jenis.csv", views.kinds_list, name="kinds"),
    path("instansi/<int:pk>/ubah/", views.agency_edit, name="edit"),
    path("instansi/<int:pk>/nonaktifkan/", views.agency_deactivate, name="deactivate"),
    path("instansi/<int:pk>/aktifkan/", views.agency_reactivate, name="reactivate"),
    path("wilayah/<str:code>/instansi/", views.region_agencies, name="region"),
    path("wilayah/<str:code>/instansi/tambah/", views.agency_add, name="add"),
    path("wilayah/<str:code>/instansi/impor/", views.agencies_import, name="import"),
]
