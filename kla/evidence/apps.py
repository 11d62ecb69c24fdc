from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "kla.evidence"
    label = "evidence"
    verbose_name = "Bukti dukung"

    def ready(self) -> None:
        # A submission lists carried files not confirmed yet, and required evidence not attached, as missing;
        # evaluations sits below evidence and does not import it, so evidence registers the checks.
        from kla.evaluations.services import register_missing_items
        from kla.evidence.selectors import missing_required_evidence, unconfirmed_carried

        register_missing_items(unconfirmed_carried)
        register_missing_items(missing_required_evidence)
