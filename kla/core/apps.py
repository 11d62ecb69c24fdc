from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kla.core"
    label = "core"
    verbose_name = "Inti"
