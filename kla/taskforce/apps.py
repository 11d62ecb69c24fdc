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
