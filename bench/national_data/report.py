"""What a run added (`NationalReport`) and the bulk inserter that counts it."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import models

from bench.national_data.constants import BATCH, NATIONAL_PASSWORD


class Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


@dataclass
class NationalReport:
    seed: int
    provinces: list[str]
    kabkota: int = 0
    created: Counter[str] = field(default_factory=Counter)  # model label → rows added by this run
    phases: list[tuple[str, float]] = field(default_factory=list)
    files: dict[str, int] = field(default_factory=dict)  # stored name → bytes (stored once, shared by every row)
    seconds: float = 0.0
    password: str = NATIONAL_PASSWORD

    @property
    def total_created(self) -> int:
        return sum(self.created.values())

    @property
    def file_bytes(self) -> int:
        return sum(self.files.values())


class Inserter:
    """Bulk inserts that count rows per model and time per model; buffered models flush every BATCH rows."""

    def __init__(self, report: NationalReport) -> None:
        self.report = report
        self.buffers: dict[type[models.Model], list[models.Model]] = {}
        self.seconds: dict[str, float] = {}

    def now(self, objs: Sequence[models.Model]) -> list[Any]:
        """Insert at once (the caller needs the primary keys)."""
        if not objs:
            return []
        model = type(objs[0])
        started = time.perf_counter()
        created = model._default_manager.bulk_create(objs, batch_size=BATCH)
        label = model._meta.label
        self.seconds[label] = self.seconds.get(label, 0.0) + time.perf_counter() - started
        self.report.created[model._meta.label] += len(objs)
        return created

    def add(self, obj: models.Model) -> None:
        buffer = self.buffers.setdefault(type(obj), [])
        buffer.append(obj)
        if len(buffer) >= BATCH:
            self.now(buffer)
            buffer.clear()

    def flush(self) -> None:
        for buffer in self.buffers.values():
            self.now(buffer)
            buffer.clear()
