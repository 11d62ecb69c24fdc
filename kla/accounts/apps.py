from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kla.accounts"
    label = "accounts"
    verbose_name = "Akun dan peran"

    def ready(self) -> None:
        from kla.accounts import signals  # noqa: F401  (connects the audit and region receivers)
