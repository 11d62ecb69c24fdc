from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """Dashboards by level (kab/kota, province, national): figures read from evaluations, results, RAD and the task
    force, always through the seal. Above every domain app it reads, below the site and the API."""

    name = "kla.dashboards"
    label = "dashboards"
    verbose_name = "Dasbor"
