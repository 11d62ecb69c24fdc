from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "kla.indicators"
    label = "indicators"
    verbose_name = "Instrumen dan indikator"
