from django.apps import AppConfig


class RadConfig(AppConfig):
    """RAD KLA: the regional action plan, its budget per agency, and its realisation."""

    name = "kla.rad"
    label = "rad"
    verbose_name = "RAD KLA"

    def ready(self) -> None:
        # Agencies sit below RAD KLA: deactivating one asks about (and hands over) the activities it is responsible for.
        from kla.agencies.handover import register
        from kla.rad.agency_work import KEEPER

        register(KEEPER)

        # Evidence sits below: a realisation's files are attached to any question as evidence by reference.
        from kla.evidence import sources
        from kla.rad.offers import SOURCE, RealisationFiles

        sources.register(SOURCE, RealisationFiles())
