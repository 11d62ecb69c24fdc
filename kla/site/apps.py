from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The public face of the platform: the home page and the health pages (above the domain apps, below the API)."""

    name = "kla.site"
    label = "site"
    verbose_name = "Situs"
