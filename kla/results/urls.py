from django.urls import path, re_path

from kla.results import views
from kla.results.views import choropleth, public

app_name = "results"
urlpatterns = [
    path("", views.public_index, name="public_index"),
    re_path(r"^data\.(?P<fmt>csv|xlsx|json)$", public.open_data_all, name="open_data_all"),
    path("kamus-data/", public.data_dictionary, name="data_dictionary"),
    path("daerah/<str:code>/", public.public_region, name="public_region"),
    path("wilayah/<str:code>/", views.region, name="region"),
    path("<slug:cycle_code>/", views.public_cycle, name="public_cycle"),
    re_path(r"^(?P<cycle_code>[-a-zA-Z0-9_]+)/data\.(?P<fmt>csv|xlsx|json)$", public.open_data, name="open_data"),
    path("<slug:cycle_code>/peta.geojson", choropleth.national, name="map_geojson"),
    path("<slug:cycle_code>/provinsi/<str:code>/peta.geojson", choropleth.province, name="map_province_geojson"),
    path("<slug:cycle_code>/evaluasi/<int:pk>/", views.score_sheet, name="score_sheet"),
    path("<slug:cycle_code>/pengumuman/", views.publication, name="publication"),
    path("<slug:cycle_code>/pengumuman/minta/", views.publication_request, name="publication_request"),
    path("<slug:cycle_code>/pengumuman/konfirmasi/", views.publication_confirm, name="publication_confirm"),
    path("<slug:cycle_code>/pengumuman/tarik/", views.publication_withdraw, name="publication_withdraw"),
]
