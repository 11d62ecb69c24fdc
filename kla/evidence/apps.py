from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "kla.evidence"
    label = "evidence"
    verbose_name = "Bukti dukung"

    def ready(self) -> None:
        # A submission lists carried files not confirmed yet as missing; evaluations sits below evidence and does
        # not import it, so evidence registers the check.
        from kla.evaluations.services import register_missing_items
        from kla.evidence.selectors import unconfirmed_carried

        register_missing_items(unconfirmed_carried)
