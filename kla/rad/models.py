"""RAD KLA: a region's multi-year action plan for child rights, its budget per agency and its realisation.

Design notes for the next engineer (pages, import/export, API):

- **Plan** (`Plan`): one per region (kab/kota or province) and period (e.g. 2025–2029, at most five years), bound to
  the instrument (`Framework`) whose clusters and indicators it follows. The plan itself holds no figures: they
  live in its versions.
- **Versions** (`Version`): number 1, 2, … of a plan. A version is a *draft* (editable) until it is *adopted* with
  its legal basis (Perda / Perbup / Perwal / Pergub: number, date, and later the file as a `Document` through
  `kla.evidence.intake`, see `kla/taskforce/services/documents.py`). Once adopted it is frozen. A *revision* starts
  as a deep copy of the adopted version (`based_on`); while it is a draft the adopted version stays in force, and
  when the revision is adopted its predecessor becomes *superseded* with every row intact, so the adopted figures
  can always be compared with the revised ones (`kla.rad.analytics.changes`). At most one draft and one adopted
  version per plan (database constraints).
- **Structure** (`Node`): programme → activity → sub-activity under an indicator (and so a cluster) of the
  instrument; an optional regional budgeting nomenclature code (format in `kla.rad.rules.code_refusal`); the
  responsible `Agency` (the region's own, or for a kab/kota a provincial body of its province). Outputs (`Output`:
  name and unit) carry a target per year (`Target`); money is planned per year and source (`BudgetLine`) on
  activities and sub-activities only, and only on leaves (a node with budget lines gets no children).
- **Stable keys**: every node and output has a `key` (UUID) that a revision copies unchanged. Realisation is
  attached to the *plan* and the activity's key (`Realisation.plan` + `activity_key`), not to a version's row, so
  it stays with the activity across revisions; a realisation whose key is gone from the version in force is kept
  and still counts for the agency, cluster and indicator of the last version that held the key
  (`selectors.budget_report`; `analytics.REMOVED` takes a key no version knows).
- **Realisation** (`Realisation`, one per activity key × year × quarter): spending per source (`Spend`), output
  achieved per output key (`Achievement`), notes, and the explanation required when the year's spending exceeds
  the plan (`rules.overspend_refusal`). Recorded against the adopted version.
- **Who**: everyone with a role reads the plans of their scope (a province its kab/kota's, `Action.RAD_VIEW`); the
  region's own secretariat (the province reviewer for the province's own plan) draws up, adopts and revises
  (`RAD_MANAGE`); realisation is recorded by those managers and by the operators of the responsible agency
  (`RAD_REALISE` plus the object rule in `kla.rad.access.can_realise`).
- **Region budget** (`RegionBudget`): the region's total budget (APBD) per year, for the share of child-rights
  spending.
- **Exact amounts**: rupiah are `SenField`s (`kla/rad/fields.py`): a `Decimal` with two places in Python, whole sen
  in a BIGINT, because SQLite reads a `DecimalField` back with only 15 significant digits (a city's APBD with its sen
  has 16). Targets and achievements stay `DecimalField`s: their cap (`rules.VALUE_CAP`) keeps them within 15 digits.
  Typed amounts are read through `kla.rad.rules.read_amount` (Indonesian notation, "Rp" allowed).

Where to build on: every write is in `kla.rad.services` (atomic, audited `kla.rad.*`, `by=None` for the system;
amounts may be passed as typed text); objects by id only through `kla.rad.access` (404 outside the scope, like a
missing id); reads in `kla.rad.selectors` (`plan_tree` 4 queries, `budget_report` 7 with the flags,
`realisation_table` 4, `revision_changes` 2, `plan_list` 2); arithmetic in the pure `kla.rad.analytics`. Pages in
`kla.rad.views` (`/rad/`; the basis file goes through the intake with the adoption, `services/basis.py`),
spreadsheets in `kla.rad.spreadsheet*` (`/rad/lembar-kerja/`), the API in `kla/api/rad.py`, recaps in
`kla/reports/rad_recaps.py`; activities carried out, with their photos, are the `kla.activities` app. A quarter's
evidence files (`RealisationFile`, `models_files.py`) come in through the intake (`services/evidence_files.py`) and
are offered as evidence by reference (`kla.rad.offers`, provider ``rad_realisation``). Deactivating a responsible
agency hands its activities over (`kla/rad/agency_work.py`).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kla.agencies.models import Agency
from kla.indicators.models import Framework, Indicator
from kla.rad.fields import SenField
from kla.rad.rules import BASIS_LABELS, LEVEL_LABELS, SOURCE_LABELS
from kla.regions.models import Region

USER = settings.AUTH_USER_MODEL


def document_path(instance: Document, filename: str) -> str:
    """A server-generated name: rad/<region>/<uuid><ext>; nothing from the client."""
    ext = filename[filename.rfind(".") :].lower() if "." in filename else ""
    return f"rad/{instance.region_id}/{uuid.uuid4().hex}{ext}"


class Document(models.Model):
    """A file of a RAD KLA (the adopting regulation; later realisation evidence), stored through the intake."""

    class Kind(models.TextChoices):
        BASIS = "basis", _("Dasar hukum RAD KLA")
        REALISATION = "realisation", _("Bukti realisasi")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("jenis berkas"), max_length=12, choices=Kind.choices)
    file = models.FileField(upload_to=document_path, max_length=255)
    name = models.CharField(_("nama berkas"), max_length=255)
    mime = models.CharField(max_length=100)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("berkas RAD KLA")
        verbose_name_plural = _("berkas RAD KLA")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Plan(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="rad_plans", verbose_name=_("wilayah"))
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+", verbose_name=_("instrumen"))
    title = models.CharField(_("judul"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("tahun awal"))
    end_year = models.PositiveSmallIntegerField(_("tahun akhir"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("RAD KLA")
        verbose_name_plural = _("RAD KLA")
        ordering = ["region_id", "-start_year"]
        constraints = [models.UniqueConstraint(fields=["region", "start_year"], name="rad_plan_one_per_period")]

    def __str__(self) -> str:
        return f"{self.title} {self.start_year}–{self.end_year}"

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.start_year, self.end_year + 1))

    def audit_view(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "framework": self.framework_id,
            "start_year": self.start_year,
            "end_year": self.end_year,
        }


class Version(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        ADOPTED = "adopted", _("Ditetapkan")
        SUPERSEDED = "superseded", _("Diganti revisi")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("versi"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="revisions", verbose_name=_("revisi dari")
    )
    basis_kind = models.CharField(
        _("jenis dasar hukum"), max_length=8, blank=True, choices=[(k.value, v) for k, v in BASIS_LABELS.items()]
    )
    basis_number = models.CharField(_("nomor peraturan"), max_length=120, blank=True)
    basis_date = models.DateField(_("tanggal peraturan"), null=True, blank=True)
    basis_document = models.OneToOneField(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="version"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    adopted_at = models.DateTimeField(null=True, blank=True)
    adopted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("versi RAD KLA")
        verbose_name_plural = _("versi RAD KLA")
        ordering = ["plan_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="rad_version_unique_number"),
            models.UniqueConstraint(fields=["plan"], condition=models.Q(status="draft"), name="rad_version_one_draft"),
            models.UniqueConstraint(
                fields=["plan"], condition=models.Q(status="adopted"), name="rad_version_one_adopted"
            ),
        ]

    def __str__(self) -> str:
        return f"Versi {self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_revision(self) -> bool:
        return self.based_on_id is not None

    def audit_view(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "status": self.status,
            "based_on": self.based_on_id,
            "basis_kind": self.basis_kind,
            "basis_number": self.basis_number,
            "basis_date": self.basis_date.isoformat() if self.basis_date else None,
            "basis_document": self.basis_document_id,
        }


class Node(models.Model):
    """A programme, activity or sub-activity of one version, under an indicator of the plan's instrument."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="nodes")
    key = models.UUIDField(_("kunci tetap"), default=uuid.uuid4)
    level = models.CharField(_("tingkat"), max_length=12, choices=[(k.value, v) for k, v in LEVEL_LABELS.items()])
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indikator"))
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("penanggung jawab")
    )
    code = models.CharField(_("kode nomenklatur"), max_length=40, blank=True)
    name = models.CharField(_("nama"), max_length=400)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("program/kegiatan RAD KLA")
        verbose_name_plural = _("program/kegiatan RAD KLA")
        ordering = ["version_id", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="rad_node_unique_key")]
        indexes = [models.Index(fields=["key"])]

    def __str__(self) -> str:
        return self.name

    def audit_view(self) -> dict[str, Any]:
        return {
            "key": str(self.key),
            "level": self.level,
            "parent": self.parent_id,
            "indicator": self.indicator_id,
            "agency": self.agency_id,
            "code": self.code,
            "name": self.name,
        }


class Output(models.Model):
    """An output indicator of an activity or sub-activity, e.g. "Ruang bermain ramah anak dibangun" in "unit"."""

    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="outputs")
    key = models.UUIDField(_("kunci tetap"), default=uuid.uuid4)
    name = models.CharField(_("indikator keluaran"), max_length=300)
    unit = models.CharField(_("satuan"), max_length=60)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("indikator keluaran")
        verbose_name_plural = _("indikator keluaran")
        ordering = ["node_id", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["node", "key"], name="rad_output_unique_key")]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class Target(models.Model):
    output = models.ForeignKey(Output, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("tahun"))
    value = models.DecimalField(_("target"), max_digits=18, decimal_places=2)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("target")
        ordering = ["output_id", "year"]
        constraints = [models.UniqueConstraint(fields=["output", "year"], name="rad_target_one_per_year")]

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"


SOURCE_CHOICES = [(k.value, v) for k, v in SOURCE_LABELS.items()]


class BudgetLine(models.Model):
    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("tahun"))
    source = models.CharField(_("sumber dana"), max_length=16, choices=SOURCE_CHOICES)
    amount = SenField(_("anggaran"))

    class Meta:
        verbose_name = _("anggaran")
        verbose_name_plural = _("anggaran")
        ordering = ["node_id", "year", "source"]
        constraints = [
            models.UniqueConstraint(fields=["node", "year", "source"], name="rad_budget_one_per_year_source"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="rad_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.source}: {self.amount}"


class Realisation(models.Model):
    """A quarter's realisation of one activity (by its stable key) of a plan."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="realisations")
    activity_key = models.UUIDField(_("kunci kegiatan"))
    year = models.PositiveSmallIntegerField(_("tahun"))
    quarter = models.PositiveSmallIntegerField(_("triwulan"))
    notes = models.TextField(_("catatan"), blank=True)
    overspend_explanation = models.TextField(_("penjelasan realisasi melebihi rencana"), blank=True)
    recorded_at = models.DateTimeField(auto_now=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("realisasi")
        verbose_name_plural = _("realisasi")
        ordering = ["plan_id", "year", "quarter", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "activity_key", "year", "quarter"], name="rad_realisation_one_per_quarter"
            ),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="rad_quarter_1_to_4"),
        ]

    def __str__(self) -> str:
        return f"Triwulan {self.quarter} {self.year}"


class Spend(models.Model):
    realisation = models.ForeignKey(Realisation, on_delete=models.CASCADE, related_name="spends")
    source = models.CharField(_("sumber dana"), max_length=16, choices=SOURCE_CHOICES)
    amount = SenField(_("realisasi anggaran"))

    class Meta:
        verbose_name = _("realisasi anggaran")
        verbose_name_plural = _("realisasi anggaran")
        ordering = ["realisation_id", "source"]
        constraints = [
            models.UniqueConstraint(fields=["realisation", "source"], name="rad_spend_one_per_source"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="rad_spend_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.amount}"


class Achievement(models.Model):
    realisation = models.ForeignKey(Realisation, on_delete=models.CASCADE, related_name="achievements")
    output_key = models.UUIDField(_("kunci indikator keluaran"))
    value = models.DecimalField(_("capaian"), max_digits=18, decimal_places=2)

    class Meta:
        verbose_name = _("capaian keluaran")
        verbose_name_plural = _("capaian keluaran")
        ordering = ["realisation_id", "id"]
        constraints = [models.UniqueConstraint(fields=["realisation", "output_key"], name="rad_achievement_unique")]

    def __str__(self) -> str:
        return str(self.value)


class RegionBudget(models.Model):
    """The region's total budget (APBD) of a year: the denominator of the child-rights budget share."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    amount = SenField(_("total APBD"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("APBD wilayah")
        verbose_name_plural = _("APBD wilayah")
        ordering = ["region_id", "year"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="rad_region_budget_one_per_year")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}"


from kla.rad.models_files import RealisationFile  # noqa: E402  (the model lives beside; Django finds it here)

__all__ = [
    "Achievement",
    "BudgetLine",
    "Document",
    "Node",
    "Output",
    "Plan",
    "Realisation",
    "RealisationFile",
    "RegionBudget",
    "Spend",
    "Target",
    "Version",
]
