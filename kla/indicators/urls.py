from django.urls import path

from kla.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:code>/", views.framework, name="framework"),
    path("<slug:code>/indikator/<str:indicator_code>/", views.indicator, name="indicator"),
]
