from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "kla.reports"
    label = "reports"
    verbose_name = "Laporan"

    def ready(self) -> None:
        from kla.reports import tasks  # noqa: F401 - registers the task-recovery hook of exports
