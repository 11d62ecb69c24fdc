from django.urls import path

from kla.people import views

app_name = "people"

urlpatterns = [
    path("impor/", views.users_import, name="import"),
    path("impor/templat.xlsx", views.import_template, name="import_template"),
    path("<int:pk>/nonaktifkan/", views.deactivate, name="deactivate"),
    path("nonaktif/", views.inactive, name="inactive"),
    path("<int:pk>/aktifkan/", views.reactivate, name="reactivate"),
]
