"""Deployment checks of our own (run by `manage.py check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def malware_scanning_configured(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Evidence uploads must be scanned in production: the platform fails closed only if a scanner is configured."""
    if getattr(settings, "CLAMD_ADDRESS", None):
        return []
    return [
        Error(
            "CLAMD_ADDRESS belum diisi: bukti dukung tidak dipindai antivirus.",
            hint="Pasang clamav-daemon dan isi CLAMD_ADDRESS (mis. /run/clamav/clamd.ctl atau 127.0.0.1:3310).",
            id="kla.E001",
        )
    ]
