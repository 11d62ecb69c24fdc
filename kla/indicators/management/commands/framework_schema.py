from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from kla.indicators.framework_schema import json_schema

TARGET = Path(__file__).resolve().parents[2] / "frameworks" / "framework.schema.json"


class Command(BaseCommand):
    help = "Menulis ulang JSON Schema berkas instrumen (kla/indicators/frameworks/framework.schema.json)."

    def handle(self, *args: Any, **options: Any) -> None:
        TARGET.write_text(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Ditulis: {TARGET}"))
