from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "kla.results"
    label = "results"
    verbose_name = "Hasil evaluasi"
