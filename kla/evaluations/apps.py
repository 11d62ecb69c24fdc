from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "kla.evaluations"
    label = "evaluations"
    verbose_name = "Evaluasi"
