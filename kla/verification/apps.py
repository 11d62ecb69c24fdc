from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "kla.verification"
    label = "verification"
    verbose_name = "Verifikasi"

    def ready(self) -> None:
        from kla.verification import tasks  # noqa: F401 - registers the task-recovery hook of proposal letters
