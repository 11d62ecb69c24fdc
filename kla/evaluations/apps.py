from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "kla.evaluations"
    label = "evaluations"
    verbose_name = "Evaluasi"

    def ready(self) -> None:
        # Agencies sit below evaluations: deactivating one asks about (and hands over) its open assignments here.
        from kla.agencies.handover import register
        from kla.evaluations.agency_work import KEEPER

        register(KEEPER)
