"""The Kemendagri region hierarchy: provinsi → kabupaten/kota → kecamatan → desa/kelurahan."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kla.regions.levels import LEVEL_LABELS, Level, subtree_bounds


class RegionQuerySet(models.QuerySet["Region"]):
    def subtree(self, code: str, *, include_self: bool = False) -> RegionQuerySet:
        """Everything under `code` in one indexed range query on the primary key."""
        low, high = subtree_bounds(code)
        query = models.Q(code__gte=low, code__lt=high)
        if include_self:
            query |= models.Q(code=code)
        return self.filter(query)


class Region(models.Model):
    """One administrative region; the dotted Kemendagri code is the natural (primary) key."""

    class Kind(models.TextChoices):
        PROVINSI = "provinsi", _("Provinsi")
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")
        KECAMATAN = "kecamatan", _("Kecamatan")
        DISTRIK = "distrik", _("Distrik")
        DESA = "desa", _("Desa")
        KELURAHAN = "kelurahan", _("Kelurahan")
        DESA_ADAT = "desa_adat", _("Desa adat")

    code = models.CharField(_("kode"), max_length=16, primary_key=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.CharField(
        _("tingkat"),
        max_length=10,
        choices=[(lv.value, label) for lv, label in LEVEL_LABELS.items()],
        db_index=True,
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("induk"),
        db_constraint=True,
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "code"])]

    def __str__(self) -> str:
        return self.name

    @property
    def level_enum(self) -> Level:
        return Level(self.level)

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[Level(self.level)]


class Boundary(models.Model):
    """A region's boundary for the web map, as imported by `manage.py import_boundaries` and simplified once.

    `geometry` is the simplified GeoJSON geometry (Polygon or MultiPolygon) as compact JSON text, served as it is
    stored; the file it came from is named by `source_name` and its SHA-256 `checksum`. Importing a level replaces
    all of that level's rows in one transaction.
    """

    region = models.OneToOneField(
        Region, primary_key=True, on_delete=models.CASCADE, related_name="boundary", verbose_name=_("wilayah")
    )
    level = models.CharField(_("tingkat"), max_length=10, db_index=True)
    geometry = models.TextField(_("geometri (GeoJSON, disederhanakan)"))
    points = models.PositiveIntegerField(_("jumlah titik"))
    points_source = models.PositiveIntegerField(_("jumlah titik di berkas"))
    tolerance = models.FloatField(_("toleransi penyederhanaan (derajat)"))
    source_name = models.CharField(_("nama berkas"), max_length=255)
    checksum = models.CharField(_("SHA-256 berkas"), max_length=64)
    imported_at = models.DateTimeField(_("diimpor pada"))

    class Meta:
        verbose_name = _("batas wilayah")
        verbose_name_plural = _("batas wilayah")
        ordering = ["region_id"]

    def __str__(self) -> str:
        return str(self.region_id)
