from django.apps import AppConfig


class RadConfig(AppConfig):
    """RAD KLA: the regional action plan, its budget per agency, and its realisation."""

    name = "kla.rad"
    label = "rad"
    verbose_name = "RAD KLA"
