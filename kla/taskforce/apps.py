from django.apps import AppConfig


class TaskforceConfig(AppConfig):
    name = "kla.taskforce"
    label = "taskforce"
    verbose_name = "Gugus Tugas KLA"

    def ready(self) -> None:
        # Agencies sit below the task force: deactivating one asks about (and hands over) its open follow-ups here.
        from kla.agencies.handover import register
        from kla.taskforce.agency_work import KEEPER

        register(KEEPER)
        # Evidence sits below too: the institutional questions are offered the decree and the minutes as evidence.
        from kla.evidence import sources
        from kla.taskforce.offers import SOURCE, TaskForceRecords

        sources.register(SOURCE, TaskForceRecords())
