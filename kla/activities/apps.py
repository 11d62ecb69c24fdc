from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    """Activities carried out (kegiatan): dates, agency, place, people reached, budget used, photos and documents."""

    name = "kla.activities"
    label = "activities"
    verbose_name = "Kegiatan"

    def ready(self) -> None:
        # Evidence sits below: an activity's files are attached to any question as evidence by reference.
        from kla.activities.offers import SOURCE, ActivityFiles
        from kla.evidence import sources

        sources.register(SOURCE, ActivityFiles())
