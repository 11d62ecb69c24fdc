from django.apps import AppConfig


class FieldvisitsConfig(AppConfig):
    name = "kla.fieldvisits"
    label = "fieldvisits"
    verbose_name = "Verifikasi lapangan"
