"""Agencies (OPD, vertical bodies, non-government members) of a region's Gugus Tugas KLA."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kla.agencies.catalogue import BY_CODE, GROUP_LABELS, AgencyKind, kind_choices
from kla.regions.models import Region


class Agency(models.Model):
    """One office of one kab/kota or province, e.g. Disdukcapil Kota Palembang; `kind` links it to the instrument.

    An agency is never deleted: deactivation keeps it (and the history that points at it) with when and by whom.
    """

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("wilayah"))
    kind = models.CharField(_("jenis instansi"), max_length=20, choices=kind_choices())
    name = models.CharField(_("nama instansi"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=60)
    is_active = models.BooleanField(_("aktif"), default=True)
    deactivated_at = models.DateTimeField(_("dinonaktifkan pada"), null=True, blank=True)
    deactivated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        ordering = ["region_id", "short_name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="agency_unique_name_per_region")]

    def __str__(self) -> str:
        return self.short_name

    @property
    def kind_spec(self) -> AgencyKind:
        return BY_CODE[self.kind]

    @property
    def group_label(self) -> str:
        """Perangkat daerah (OPD), instansi vertikal or unsur non-pemerintah."""
        return GROUP_LABELS[self.kind_spec.group]
