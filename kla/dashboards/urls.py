from django.urls import path

from kla.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.index, name="index"),
    path("nasional/", views.national, name="national"),
    path("provinsi/<str:code>/", views.province, name="province"),
    path("kabkota/<str:code>/", views.kabkota, name="kabkota"),
    path("kabkota/<str:code>/simulasi/", views.whatif, name="whatif"),
]
