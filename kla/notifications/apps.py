from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "kla.notifications"
    label = "notifications"
    verbose_name = "Notifikasi"
