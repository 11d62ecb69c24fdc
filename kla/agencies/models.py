"""Agencies (OPD and vertical bodies) of a region's Gugus Tugas KLA."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kla.agencies.catalogue import kind_choices
from kla.regions.models import Region


class Agency(models.Model):
    """One office of one region, e.g. Disdukcapil Kota Palembang; `kind` links it to the instrument."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("wilayah"))
    kind = models.CharField(_("jenis instansi"), max_length=20, choices=kind_choices())
    name = models.CharField(_("nama instansi"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=60)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        ordering = ["region_id", "short_name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="agency_unique_name_per_region")]

    def __str__(self) -> str:
        return self.short_name
