from django.urls import include, path

from kla.accounts.views.language import set_language
from kla.api.v1 import api

urlpatterns = [
    path("", include("kla.site.urls")),
    path("", include("kla.accounts.urls")),
    path("wilayah/", include("kla.regions.urls")),
    path("", include("kla.agencies.urls")),
    path("instrumen/", include("kla.indicators.urls")),
    path("", include("kla.evaluations.urls")),
    path("", include("kla.evidence.urls")),
    path("verifikasi/", include("kla.verification.urls")),
    path("verifikasi-lapangan/", include("kla.fieldvisits.urls")),
    path("gugus-tugas/", include("kla.taskforce.urls")),
    path("rad/", include("kla.rad.urls")),
    path("kegiatan/", include("kla.activities.urls")),
    path("hasil/", include("kla.results.urls")),
    path("dasbor/", include("kla.dashboards.urls")),
    path("laporan/", include("kla.reports.urls")),
    path("notifikasi/", include("kla.notifications.urls")),
    path("pengguna/", include("kla.people.urls")),
    path("rad/lembar-kerja/", include("kla.rad.urls_spreadsheet")),
    path("bahasa/", set_language, name="set_language"),
    path("api/v1/", api.urls),
]

handler400 = "kla.core.errors.bad_request"
handler403 = "kla.core.errors.permission_denied"
handler404 = "kla.core.errors.page_not_found"
handler500 = "kla.core.errors.server_error"
