from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kla.core"
    label = "core"
    verbose_name = "Inti"

    def ready(self) -> None:
        from kla.core import checks  # noqa: F401  (registers the deployment checks)
