from django.urls import path

from kla.dashboards import map_views, views

app_name = "dashboards"
urlpatterns = [
    path("", views.index, name="index"),
    path("nasional/", views.national, name="national"),
    path("nasional/peta.geojson", map_views.national_map, name="national_map"),
    path("provinsi/<str:code>/", views.province, name="province"),
    path("provinsi/<str:code>/peta.geojson", map_views.province_map, name="province_map"),
    path("kabkota/<str:code>/", views.kabkota, name="kabkota"),
    path("kabkota/<str:code>/simulasi/", views.whatif, name="whatif"),
]
