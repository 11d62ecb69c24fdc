from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "kla.notifications"
    label = "notifications"
    verbose_name = "Notifikasi"

    def ready(self) -> None:
        from kla.core.audit import audit_recorded
        from kla.notifications import triggers, triggers_cycle  # noqa: F401 - fill the registry

        audit_recorded.connect(triggers.on_audit, dispatch_uid="kla.notifications.on_audit")
