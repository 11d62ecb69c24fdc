from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "kla.regions"
    label = "regions"
    verbose_name = "Wilayah"
