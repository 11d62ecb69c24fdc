"""Files the platform already holds, offered to a question as evidence by reference: one stored object, no second
upload.

A task force keeps its decree and the minutes of its meetings; an agency documents its activities with photos. Where
a question of the instrument asks about those records (the framework file names them in a question's ``records``),
the entry page shows the recorded facts and offers the files; attaching one creates an `Evidence` row that points at
the same stored object and names where it came from (`kla.evidence.linking`).

The apps that hold such records sit above evidence, so they register a `Provider` here (in their AppConfig.ready):

    sources.register("taskforce", TaskForceRecords())

A provider answers two questions, each in a fixed number of queries:

* `offers(region_code, records, on)`: for the record kinds asked for, the facts to show and the files to offer;
* `resolve(region_code, source_id)`: one of its files, only if it belongs to that region (else None: a file of
  another region is refused the same way as one that does not exist).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True, kw_only=True)
class StoredFile:
    """What an evidence row needs to know of a file already stored (and already inspected and scanned)."""

    name: str  # the storage name (`FieldFile.name`)
    original_name: str
    kind: str  # pdf, image, office, video, data
    mime: str
    size: int
    sha256: str
    original_sha256: str
    page_count: int | None = None
    captured_at: dt.datetime | None = None
    metadata_removed: bool = False
    scan_clean: bool = True
    scan_detail: str = ""


class StoredRow(Protocol):
    """A row that keeps what the intake found (`kla.evidence.intake.Accepted.stored_fields`)."""

    @property
    def file(self) -> Any: ...

    name: str
    file_kind: str
    mime: str
    size: int
    sha256: str
    original_sha256: str
    page_count: int | None
    captured_at: dt.datetime | None
    metadata_removed: bool
    scanned_clean: bool
    scan_detail: str


def stored_file_of(row: StoredRow) -> StoredFile:
    """The stored file of such a row (files stored before the original hash was kept count their own hash)."""
    return StoredFile(
        name=row.file.name or "",
        original_name=row.name,
        kind=row.file_kind,
        mime=row.mime,
        size=row.size,
        sha256=row.sha256,
        original_sha256=row.original_sha256 or row.sha256,
        page_count=row.page_count,
        captured_at=row.captured_at,
        metadata_removed=row.metadata_removed,
        scan_clean=row.scanned_clean,
        scan_detail=row.scan_detail,
    )


@dataclass(frozen=True, kw_only=True)
class Offer:
    """One file a provider offers, with what to fill in the evidence row's description fields."""

    source: str  # the provider's registered name
    source_id: int  # the provider's own id of the file
    label: str  # where it came from, as the entry page shows it ("Notulen: Rakor Gugus Tugas, 12 Mar 2026")
    evidence_type: str
    file: StoredFile
    doc_number: str = ""
    doc_date: dt.date | None = None
    issuer: str = ""
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    description: str = ""


@dataclass(frozen=True, kw_only=True)
class Offers:
    """The facts of one kind of record and its files, for the questions that name that kind."""

    record: str  # a `RecordKind` of the framework schema
    title: str  # "Catatan Gugus Tugas: SK"
    facts: list[str] = field(default_factory=list)
    files: list[Offer] = field(default_factory=list)
    link: str = ""  # the page where the records are kept
    link_label: str = ""


class Provider(Protocol):
    def offers(self, *, region_code: str, records: frozenset[str], on: dt.date) -> list[Offers]: ...

    def resolve(self, *, region_code: str, source_id: int) -> Offer | None: ...


_PROVIDERS: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    """Register (or replace, when an app is reloaded) the provider of the files named `name`."""
    _PROVIDERS[name] = provider


def provider(name: str) -> Provider | None:
    return _PROVIDERS.get(name)


def records_of(spec: dict[str, object]) -> frozenset[str]:
    """The record kinds a question's rubric (`Question.spec`) names."""
    records = spec.get("records") or []
    return frozenset(str(r) for r in records) if isinstance(records, list) else frozenset()


def offers_for(
    *, region_code: str, questions: Iterable[tuple[int, frozenset[str]]], on: dt.date
) -> dict[int, list[Offers]]:
    """The offers for each question (by id) that names records, asking each provider once for all of them."""
    wanted = dict(questions)
    kinds = frozenset().union(*wanted.values()) if wanted else frozenset()
    if not kinds:
        return {}
    by_record: dict[str, Offers] = {}
    for p in _PROVIDERS.values():
        for offered in p.offers(region_code=region_code, records=kinds, on=on):
            by_record[offered.record] = offered
    return {pk: [by_record[r] for r in sorted(records) if r in by_record] for pk, records in wanted.items() if records}
