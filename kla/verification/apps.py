from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "kla.verification"
    label = "verification"
    verbose_name = "Verifikasi"
