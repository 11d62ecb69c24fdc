"""Public portal pages beyond a cycle's results: the open-data files of released results, their data dictionary,
and a region's predicate history. Open to everybody; the files are the same for everybody (built as the public
sees the results), so they carry an ETag and may be kept by shared caches for a few minutes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from kla.evaluations.models import Cycle
from kla.regions.levels import Level
from kla.reports.writers import CONTENT_TYPES
from kla.results import opendata
from kla.results.selectors import portal, region_rows, regions
from kla.results.views import opendata_files

TYPES = {"csv": CONTENT_TYPES["csv"], "xlsx": CONTENT_TYPES["xlsx"], "json": "application/json; charset=utf-8"}


def _cached(response: HttpResponseBase, tag: str) -> HttpResponseBase:
    response["ETag"] = tag
    patch_cache_control(response, public=True, max_age=opendata.MAX_AGE_SECONDS)
    response["Link"] = f'<{opendata.LICENCE_URL}>; rel="license"'
    return response


def _body(cycles: Sequence[Cycle], fmt: str) -> bytes:
    """The whole file (at most 514 rows a cycle: CSV and JSON about 100 kB, XLSX less)."""
    rows = opendata.rows_of(cycles)
    if fmt == "csv":
        return b"".join(opendata_files.csv_stream(rows))
    if fmt == "json":
        head = opendata_files.json_head([c.code for c in cycles])
        return b"".join(opendata_files.json_stream(head, rows))
    with opendata_files.xlsx_file(rows) as handle:
        return handle.read()


def _send(request: HttpRequest, cycles: Sequence[Cycle], one: Cycle | None, fmt: str) -> HttpResponseBase:
    """The file of `cycles` in `fmt`, or 304 when the client's copy (If-None-Match) is current. The file is the
    same for everybody and its ETag is the fingerprint of everything in it (`opendata.etag`), so the body is kept in
    Django's cache under the ETag: a change of the results makes a new ETag, never a stale file."""
    if fmt not in TYPES:
        raise Http404(gettext("Format berkas tidak dikenal."))
    tag = opendata.etag(cycles, fmt, every_year=one is None)
    not_modified = get_conditional_response(request, etag=tag)
    if not_modified is not None:
        return _cached(not_modified, tag)
    key = f"kla.results.opendata:{tag}"
    body = cache.get(key)
    if body is None:
        body = _body(cycles, fmt)
        cache.set(key, body, opendata.MAX_AGE_SECONDS)
    response = HttpResponse(body, content_type=TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{opendata.file_name(one, fmt)}"'
    return _cached(response, tag)


@require_GET
def open_data(request: HttpRequest, cycle_code: str, fmt: str) -> HttpResponseBase:
    """One released cycle's results (404 before the release, as its page)."""
    cycle = portal.published_cycle_get(cycle_code)
    return _send(request, [cycle], cycle, fmt)


@require_GET
def open_data_all(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """Every released cycle's results, oldest first (only the header while none is released)."""
    return _send(request, opendata.published_in_order(), None, fmt)


@require_GET
def data_dictionary(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "results/data_dictionary.html",
        {
            "columns": opendata.columns(),
            "notes": opendata.format_notes(),
            "licence": opendata.licence_text(),
            "licence_url": opendata.LICENCE_URL,
            "cycles": portal.published_cycles(),
        },
    )


@dataclass
class HistoryLine:
    """A kab/kota of a province with its predicate per year (the years of the page's columns)."""

    code: str
    name: str
    by_year: dict[int, regions.PublicPredicate] = field(default_factory=dict)

    def cells(self, years: Sequence[int]) -> list[regions.PublicPredicate | None]:
        return [self.by_year.get(y) for y in years]


@require_GET
def public_region(request: HttpRequest, code: str) -> HttpResponse:
    """A kab/kota's released predicate history, or a province's kab/kota by year; other levels do not exist here."""
    region = region_rows.region_any(code)
    if region is None or region.level not in (Level.PROVINSI, Level.KABKOTA):
        raise Http404(gettext("Wilayah tidak ditemukan."))
    context: dict[str, object] = {"region": region, "cycles": portal.published_cycles()}
    if region.level == Level.KABKOTA:
        context["history"] = regions.public_history(region=region.code)
        return render(request, "results/public_region.html", context)
    lines = {
        c: HistoryLine(c, n)
        for c, n in region.children.filter(level=Level.KABKOTA).order_by("code").values_list("code", "name")
    }
    records = regions.public_history(province=region.code)
    for record in records:
        if record.region_code in lines:
            lines[record.region_code].by_year[record.year] = record
    years = sorted({r.year for r in records})
    context.update(years=years, rows=[(line, line.cells(years)) for line in lines.values()])
    return render(request, "results/public_region.html", context)
