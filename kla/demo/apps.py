from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "kla.demo"
    label = "demo"
    verbose_name = "Data demo"
