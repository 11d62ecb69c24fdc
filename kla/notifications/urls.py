from django.urls import path

from kla.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/dibaca/", views.mark_read, name="read"),
    path("semua-dibaca/", views.mark_all_read, name="read_all"),
    path("pengaturan/", views.preferences, name="preferences"),
]
