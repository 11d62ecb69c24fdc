from django.apps import AppConfig


class TaskforceConfig(AppConfig):
    name = "kla.taskforce"
    label = "taskforce"
    verbose_name = "Gugus Tugas KLA"
