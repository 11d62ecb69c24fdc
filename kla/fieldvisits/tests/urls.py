"""The project's URLs plus this app's, as config/urls.py includes them (for tests written before it did)."""

from django.urls import URLResolver, include, path

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as project_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

_included = any(isinstance(p, URLResolver) and p.namespace == "fieldvisits" for p in project_urlpatterns)
urlpatterns = [
    *project_urlpatterns,
    *([] if _included else [path("verifikasi-lapangan/", include("kla.fieldvisits.urls"))]),
]
