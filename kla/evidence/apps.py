from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "kla.evidence"
    label = "evidence"
    verbose_name = "Bukti dukung"
