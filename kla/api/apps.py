from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kla.api"
    label = "api"
    verbose_name = "API"
