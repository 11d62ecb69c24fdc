"""Evaluation cycles, a kab/kota's evaluation, its entries (one per indicator), assignments and answers."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kla.agencies.models import Agency
from kla.core.formatting import format_date_short, format_datetime_short
from kla.core.wording import say_stored
from kla.evaluations.stages import STAGE_LABELS, Stage
from kla.evaluations.workflow import STATE_LABELS, State, WorkflowConfig
from kla.indicators.models import Framework, Indicator, Question
from kla.regions.models import Region


class Cycle(models.Model):
    """One evaluation round (e.g. "Evaluasi KLA 2024") bound to one framework version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Disiapkan")
        OPEN = "open", _("Berjalan")
        CLOSED = "closed", _("Selesai")

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    year = models.PositiveSmallIntegerField(_("tahun"))
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("instrumen")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(null=True, blank=True)
    # Which optional stages the cycle uses, who acts at each step, the field-verification rule (WorkflowConfig).
    workflow = models.JSONField(_("alur"), default=dict, blank=True)
    public_details = models.BooleanField(
        _("umumkan nilai rinci"),
        default=False,
        help_text=_("Bila dicentang, portal publik menampilkan nilai akhir di samping predikat setelah pengumuman."),
    )
    # Publication: requested by one administrator with a release time, confirmed by a second one.
    release_at = models.DateTimeField(_("waktu pengumuman"), null=True, blank=True)
    publish_requested_at = models.DateTimeField(null=True, blank=True)
    publish_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("dikonfirmasi pada"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("siklus evaluasi")
        verbose_name_plural = _("siklus evaluasi")
        ordering = ["-year", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def workflow_config(self) -> WorkflowConfig:
        return WorkflowConfig.from_json(self.workflow)

    def is_published(self, now: dt.datetime | None = None) -> bool:
        """Results are public once a second administrator confirmed and the release time has come."""
        if self.published_at is None or self.release_at is None:
            return False
        return self.release_at <= (now or timezone.now())


class StageDeadline(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="deadlines")
    stage = models.CharField(_("tahap"), max_length=24, choices=[(s.value, label) for s, label in STAGE_LABELS.items()])
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("batas waktu"))

    class Meta:
        verbose_name = _("jadwal tahap")
        verbose_name_plural = _("jadwal tahap")
        ordering = ["cycle_id", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "stage"], name="deadline_unique_stage"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="deadline_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        zone = timezone.get_current_timezone_name()  # the viewer's region zone inside a request
        return (
            f"{self.label}: {format_date_short(timezone.localdate(self.starts_at))} s.d. "
            f"{format_datetime_short(self.ends_at, zone)}"
        )

    @property
    def label(self) -> str:
        return gettext(STAGE_LABELS[Stage(self.stage)])

    def is_open(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now <= self.ends_at


class Evaluation(models.Model):
    """A kab/kota's evaluation within a cycle."""

    class Status(models.TextChoices):  # the workflow states of kla.evaluations.workflow.State
        DRAFT = State.DRAFT.value, _(STATE_LABELS[State.DRAFT])
        SUBMITTED = State.SUBMITTED.value, _(STATE_LABELS[State.SUBMITTED])
        PROVINCE_REVIEW = State.PROVINCE_REVIEW.value, _(STATE_LABELS[State.PROVINCE_REVIEW])
        PROPOSED = State.PROPOSED.value, _(STATE_LABELS[State.PROPOSED])
        MINISTRY_REVIEW = State.MINISTRY_REVIEW.value, _(STATE_LABELS[State.MINISTRY_REVIEW])
        FIELD_VERIFICATION = State.FIELD_VERIFICATION.value, _(STATE_LABELS[State.FIELD_VERIFICATION])
        FINAL_VERIFICATION = State.FINAL_VERIFICATION.value, _(STATE_LABELS[State.FINAL_VERIFICATION])
        DETERMINED = State.DETERMINED.value, _(STATE_LABELS[State.DETERMINED])
        PUBLISHED = State.PUBLISHED.value, _(STATE_LABELS[State.PUBLISHED])
        BELOW_GATE = State.BELOW_GATE.value, _(STATE_LABELS[State.BELOW_GATE])

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="evaluations")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("wilayah"))
    status = models.CharField(_("tahap"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Snapshot at submission: the EM total and the per-indicator breakdown with explanations.
    em_score = models.DecimalField(_("nilai EM"), max_digits=7, decimal_places=2, null=True, blank=True)
    em_snapshot = models.JSONField(null=True, blank=True)
    missing_at_submission = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("evaluasi")
        verbose_name_plural = _("evaluasi")
        ordering = ["cycle_id", "region_id"]
        constraints = [models.UniqueConstraint(fields=["cycle", "region"], name="evaluation_unique_region")]

    def __str__(self) -> str:
        return f"{self.cycle.name} · {self.region.name}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def state(self) -> State:
        return State(self.status)

    @property
    def state_label(self) -> str:
        return gettext(STATE_LABELS[self.state])


class Entry(models.Model):
    """One indicator of one evaluation: the unit that is assigned, answered, reviewed and returned."""

    class Status(models.TextChoices):
        OPEN = "open", _("Diisi")
        SUBMITTED = "submitted", _("Dikirim")
        RETURNED = "returned", _("Dikembalikan")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="entries")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    agencies = models.ManyToManyField(Agency, through="Assignment", related_name="entries", blank=True)
    # Set when a reviewer returns the entry for correction; cleared when the kab/kota resubmits it.
    return_reason = models.TextField(_("alasan pengembalian"), blank=True)
    return_deadline = models.DateTimeField(_("batas perbaikan"), null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resubmitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("entri indikator")
        verbose_name_plural = _("entri indikator")
        ordering = ["evaluation_id", "indicator__position"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "indicator"], name="entry_unique_indicator")]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.evaluation.region.name}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.RETURNED)


class Assignment(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="assignments")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="assignments")
    assigned_at = models.DateTimeField(auto_now_add=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("penugasan")
        verbose_name_plural = _("penugasan")
        constraints = [models.UniqueConstraint(fields=["entry", "agency"], name="assignment_unique")]

    def __str__(self) -> str:
        return f"{self.entry_id} → {self.agency_id}"


class Answer(models.Model):
    """The answer to one question of an entry. `version` guards against silent overwrites by concurrent editors."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    value = models.JSONField(_("jawaban"), default=dict, blank=True)
    justification = models.TextField(_("penjelasan"), blank=True)
    warnings = models.JSONField(default=list, blank=True)
    answered = models.BooleanField(_("terjawab"), default=False)
    needs_justification = models.BooleanField(_("perlu penjelasan"), default=False)
    points = models.DecimalField(_("poin"), max_digits=7, decimal_places=2, default=0)
    explanation = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("jawaban")
        verbose_name_plural = _("jawaban")
        constraints = [models.UniqueConstraint(fields=["entry", "question"], name="answer_unique_question")]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.value}"


class StageExtension(models.Model):
    """A stage's deadline extended by the ministry for one kabupaten/kota. Its deadline in force for the stage is the
    later of this and the cycle's calendar (`services.deadline_of(cycle, stage, region_id)`); a whole-cycle extension
    moves the calendar itself (`StageDeadline.ends_at`). Both are audited (`kla.cycle.deadline_extended`)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="extensions")
    stage = models.CharField(_("tahap"), max_length=24, choices=[(s.value, label) for s, label in STAGE_LABELS.items()])
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah"))
    ends_at = models.DateTimeField(_("batas waktu baru"))
    reason = models.TextField(_("alasan"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(_("diberikan pada"), default=timezone.now)

    class Meta:
        verbose_name = _("perpanjangan batas waktu")
        verbose_name_plural = _("perpanjangan batas waktu")
        ordering = ["cycle_id", "stage", "region_id"]
        constraints = [models.UniqueConstraint(fields=["cycle", "stage", "region"], name="extension_unique_region")]

    def __str__(self) -> str:
        return f"{STAGE_LABELS[Stage(self.stage)]} · {self.region_id}: {self.ends_at:%Y-%m-%d %H:%M}"


class RescoreRun(models.Model):
    """A re-scoring of one cycle's stored answers by the engine, asked for by the ministry and run by a background
    task a chunk of evaluations at a time (`kla.evaluations.rescore_runs`); read-only on the scores themselves: it
    reports the evaluations whose engine total differs from the points stored."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu giliran")
        RUNNING = "running", _("Sedang berjalan")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="rescore_runs")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    evaluations_done = models.PositiveIntegerField(default=0)
    evaluations_total = models.PositiveIntegerField(null=True, blank=True)
    answers = models.PositiveIntegerField(default=0)
    invalid = models.PositiveIntegerField(default=0)  # distinct stored answers that no longer fit their question
    # [[evaluation id, region code, region name, stored total, engine total], ...] as text, the first 200
    differences = models.JSONField(default=list)
    differing = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("penilaian ulang")
        verbose_name_plural = _("penilaian ulang")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.cycle_id} · {self.status}"

    @property
    def error_text(self) -> str:
        """Why the run failed, in the reader's language (the task keeps marked Indonesian)."""
        return say_stored(self.error)
