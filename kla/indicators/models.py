"""Versioned evaluation instruments: framework → clusters → indicators → questions, plus predicate bands.

Rows are written only by `services.framework_load` from a validated framework file; the file's text is kept on
the framework, so what was loaded can always be shown and reloaded.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kla.indicators.framework_schema import AnswerType, RegionLevel, WeightStatus


def _localized(obj: Any, field: str) -> str:
    """The English text when the interface is English and a translation exists, else the Indonesian one."""
    if (get_language() or "id").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return str(english)
    return str(getattr(obj, field))


class Framework(models.Model):
    code = models.SlugField(_("kode"), max_length=32, unique=True)
    year = models.PositiveSmallIntegerField(_("tahun"))
    name = models.CharField(_("nama"), max_length=200)
    name_en = models.CharField(_("nama (Inggris)"), max_length=200)
    level = models.CharField(
        _("tingkat wilayah yang dinilai"), max_length=10, choices=[(lv.value, lv.value) for lv in RegionLevel]
    )
    source = models.TextField(_("dasar"), blank=True)
    weights_status = models.CharField(
        _("status bobot"), max_length=10, choices=[(w.value, w.value) for w in WeightStatus]
    )
    weights_note = models.TextField(_("catatan bobot"))
    weights_note_en = models.TextField(_("catatan bobot (Inggris)"))
    max_total = models.DecimalField(_("nilai maksimum"), max_digits=7, decimal_places=2)
    gate_min_exclusive = models.DecimalField(_("ambang evaluasi mandiri"), max_digits=7, decimal_places=2)
    province_rule = models.JSONField(_("aturan provinsi"), null=True, blank=True)
    file_sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(_("dimuat pada"), auto_now=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    locked_at = models.DateTimeField(
        _("dikunci pada"),
        null=True,
        blank=True,
        help_text=_("Diisi saat instrumen dipakai siklus evaluasi; sejak itu isinya tidak dapat diubah."),
    )

    class Meta:
        verbose_name = _("instrumen")
        verbose_name_plural = _("instrumen")
        ordering = ["-year", "code"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return _localized(self, "name")

    @property
    def weights_display_note(self) -> str:
        return _localized(self, "weights_note")

    @property
    def is_reference_weights(self) -> bool:
        return self.weights_status == WeightStatus.REFERENCE


class FrameworkFile(models.Model):
    """The framework file as loaded (~150 kB of YAML), kept for the record beside its `file_sha256`.

    It lives in its own table because every cycle, evaluation and entry read joins the framework row: kept there,
    each of those reads would carry the whole file (on PostgreSQL, de-TOASTed and sent on every page and autosave).
    """

    framework = models.OneToOneField(Framework, on_delete=models.CASCADE, primary_key=True, related_name="file")
    text = models.TextField(_("isi berkas"))

    class Meta:
        verbose_name = _("berkas instrumen")
        verbose_name_plural = _("berkas instrumen")

    def __str__(self) -> str:
        return f"{self.framework_id}"


class Cluster(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="clusters")
    code = models.CharField(_("kode"), max_length=32)
    number = models.PositiveSmallIntegerField(_("nomor"))
    name = models.CharField(_("nama"), max_length=200)
    name_en = models.CharField(_("nama (Inggris)"), max_length=200)
    position = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("klaster")
        verbose_name_plural = _("klaster")
        ordering = ["framework_id", "position"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="cluster_unique_code")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return _localized(self, "name")


class Indicator(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="indicators")
    number = models.PositiveSmallIntegerField(_("nomor"))
    code = models.CharField(_("kode"), max_length=32)
    name = models.CharField(_("nama"), max_length=300)
    name_en = models.CharField(_("nama (Inggris)"), max_length=300)
    short_name = models.CharField(_("nama singkat"), max_length=80, blank=True)
    description = models.TextField(_("uraian"), blank=True)
    description_en = models.TextField(_("uraian (Inggris)"), blank=True)
    max_points = models.DecimalField(_("poin maksimum"), max_digits=7, decimal_places=2)
    agencies = models.JSONField(_("instansi penanggung jawab"), default=list)
    position = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikator")
        ordering = ["framework_id", "position"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="indicator_unique_code")]

    def __str__(self) -> str:
        return f"{self.number}. {self.display_name}"

    @property
    def display_name(self) -> str:
        return _localized(self, "name")

    @property
    def display_description(self) -> str:
        return _localized(self, "description")


class Question(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(_("kode"), max_length=32)
    text = models.TextField(_("pertanyaan"))
    text_en = models.TextField(_("pertanyaan (Inggris)"))
    answer_type = models.CharField(_("jenis jawaban"), max_length=12, choices=[(t.value, t.value) for t in AnswerType])
    max_points = models.DecimalField(_("poin maksimum"), max_digits=7, decimal_places=2)
    guidance = models.TextField(_("petunjuk"), blank=True)
    guidance_en = models.TextField(_("petunjuk (Inggris)"), blank=True)
    # The rubric as loaded: options, thresholds, unit, numerator/denominator labels, evidence requirements.
    spec = models.JSONField(_("rubrik"), default=dict)
    position = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("pertanyaan")
        verbose_name_plural = _("pertanyaan")
        ordering = ["indicator_id", "position"]
        constraints = [models.UniqueConstraint(fields=["indicator", "code"], name="question_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"

    @property
    def display_text(self) -> str:
        return _localized(self, "text")

    @property
    def display_guidance(self) -> str:
        return _localized(self, "guidance")


class Band(models.Model):
    """A predicate band (Pratama … KLA) of a framework, on its score scale."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="bands")
    code = models.CharField(_("kode"), max_length=32)
    name = models.CharField(_("predikat"), max_length=60)
    min_score = models.DecimalField(_("nilai minimum"), max_digits=7, decimal_places=2)
    max_score = models.DecimalField(_("nilai maksimum"), max_digits=7, decimal_places=2)
    position = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("predikat")
        verbose_name_plural = _("predikat")
        ordering = ["framework_id", "position"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="band_unique_code")]

    def __str__(self) -> str:
        return self.name
