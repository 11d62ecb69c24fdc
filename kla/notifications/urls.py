from django.urls import path

from kla.notifications import views, views_stuck

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/dibaca/", views.mark_read, name="read"),
    path("semua-dibaca/", views.mark_all_read, name="read_all"),
    path("pengaturan/", views.preferences, name="preferences"),
    path("tertahan/", views_stuck.stuck_board, name="stuck"),
    path("tertahan/<slug:kind>/<int:pk>/ingatkan/", views_stuck.stuck_remind, name="stuck_remind"),
]
