"""Reads of instruments, shaped for the browser and the API with a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from kla.indicators.models import Band, Cluster, Framework, Indicator, Question
from kla.indicators.scoring import BandRule


def framework_list() -> QuerySet[Framework]:
    return Framework.objects.annotate(n_indicators=Count("indicators", distinct=True)).order_by("-year", "code")


def framework_get(code: str) -> Framework:
    """A framework with clusters → indicators → questions and bands prefetched (5 queries in all)."""
    qs = Framework.objects.prefetch_related(
        Prefetch("bands", queryset=Band.objects.order_by("position")),
        Prefetch(
            "clusters",
            queryset=Cluster.objects.order_by("position").prefetch_related(
                Prefetch(
                    "indicators",
                    queryset=Indicator.objects.order_by("position").prefetch_related(
                        Prefetch("questions", queryset=Question.objects.order_by("position"))
                    ),
                )
            ),
        ),
    )
    try:
        return qs.get(code=code)
    except Framework.DoesNotExist:
        raise Http404(gettext("Instrumen dengan kode %(code)s tidak ditemukan.") % {"code": code}) from None


def indicator_get(framework_code: str, indicator_code: str) -> Indicator:
    try:
        return (
            Indicator.objects.select_related("framework", "cluster")
            .prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("position")))
            .get(framework__code=framework_code, code=indicator_code)
        )
    except Indicator.DoesNotExist:
        raise Http404(gettext("Indikator tidak ditemukan.")) from None


def band_rules(framework_id: int) -> list[BandRule]:
    """The predicate bands of a framework, lowest first (one query; the framework row itself is not read)."""
    return [
        BandRule(b.code, b.name, b.min_score, b.max_score)
        for b in Band.objects.filter(framework_id=framework_id).order_by("position")
    ]


def current_framework() -> Framework | None:
    """The newest kab/kota framework, shown first on the home page."""
    return Framework.objects.filter(level="kabkota").order_by("-year", "-loaded_at").first()
