from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "kla.agencies"
    label = "agencies"
    verbose_name = "Instansi"
