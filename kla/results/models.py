"""Scores per stage, predicate history and targets.

A `StageScore` is one stage's verified total for one evaluation with the per-indicator breakdown that explains every
point (answer → method → base points → verdict → points). Who may read it is decided by `kla.evaluations.seal`
through `kla.results.selectors`; nothing reads these rows directly for display.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kla.evaluations.models import Cycle, Evaluation
from kla.evaluations.seal import SCORE_STAGE_LABELS, ScoreStage
from kla.regions.models import Region


class StageScore(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="stage_scores")
    stage = models.CharField(
        _("tahap"), max_length=12, choices=[(s.value, label) for s, label in SCORE_STAGE_LABELS.items()]
    )
    total = models.DecimalField(_("nilai"), max_digits=7, decimal_places=2)
    band_code = models.CharField(_("predikat"), max_length=32, blank=True)
    framework_code = models.CharField(_("instrumen"), max_length=32)
    # {"indicators": {code: {"points", "max", "questions": {code: {"base", "points", "decision", "reason", ...}}}}}
    breakdown = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("nilai tahap")
        verbose_name_plural = _("nilai tahap")
        constraints = [models.UniqueConstraint(fields=["evaluation", "stage"], name="stagescore_unique_stage")]

    def __str__(self) -> str:
        return f"{self.evaluation_id} {self.stage} {self.total}"

    @property
    def score_stage(self) -> ScoreStage:
        return ScoreStage(self.stage)


class PredicateRecord(models.Model):
    """A region's predicate in one year: from a published cycle, or imported for years before the platform."""

    class Source(models.TextChoices):
        CYCLE = "cycle", _("Siklus di platform")
        IMPORT = "import", _("Impor riwayat")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="predicates")
    year = models.PositiveSmallIntegerField(_("tahun"))
    band_code = models.CharField(_("kode predikat"), max_length=32, blank=True)  # blank: no predicate that year
    band_name = models.CharField(_("predikat"), max_length=60, blank=True)
    score = models.DecimalField(_("nilai"), max_digits=7, decimal_places=2, null=True, blank=True)
    cycle = models.ForeignKey(Cycle, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=8, choices=Source.choices)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("riwayat predikat")
        verbose_name_plural = _("riwayat predikat")
        ordering = ["region_id", "year"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="predicate_unique_year")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}: {self.band_name or '-'}"


class Target(models.Model):
    """The predicate a kab/kota aims for (set by its task force or its province)."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="kla_target")
    band_code = models.CharField(_("predikat target"), max_length=32)
    year = models.PositiveSmallIntegerField(_("tahun target"), null=True, blank=True)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    set_at = models.DateTimeField(auto_now=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("target predikat")
        verbose_name_plural = _("target predikat")

    def __str__(self) -> str:
        return f"{self.region_id} → {self.band_code}"
