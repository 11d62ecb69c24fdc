"""Audit events as a person reads them: labels, names, formatted values; no code, no dict, no query."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone, translation

from kla.core.audit_display import changes, describe, references, show
from kla.core.models import AuditEvent

NAMES = {"agency": {4: "Dinas Kesehatan", 6: "Disdukcapil"}, "region": {"16.71": "KOTA PALEMBANG"}, "user": {7: "Ani"}}


def _event(action: str, before: Any = None, after: Any = None, **extra: Any) -> AuditEvent:
    return AuditEvent(
        pk=1, at=dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC), action=action, before=before, after=after, **extra
    )


def test_an_assignment_reads_with_agency_names() -> None:
    event = _event("kla.entry.assigned", {"agencies": [4]}, {"agencies": [4, 6]}, actor_label="gt-palembang")
    view = describe(event, NAMES)
    assert view.label == "Penugasan instansi diubah" and view.actor == "gt-palembang"
    [row] = view.changes
    assert (row.field, row.before, row.after, row.changed) == (
        "instansi",
        "Dinas Kesehatan",
        "Dinas Kesehatan, Disdukcapil",
        True,
    )


def test_the_actor_is_named_when_known_and_the_system_otherwise() -> None:
    assert describe(_event("kla.answer.rescored", actor_id=7, actor_label="ani"), NAMES).actor == "Ani"
    assert describe(_event("kla.answer.rescored"), NAMES).actor == "sistem"


def test_values_are_formatted_the_indonesian_way() -> None:
    with translation.override("id"), timezone.override("Asia/Makassar"):
        assert (
            show("value", {"numerator": "1500", "denominator": "2000"}, {}, {}) == "pembilang: 1.500; penyebut: 2.000"
        )
        assert show("points", "12.50", {}, {}) == "12,5"
        assert show("is_active", False, {}, {}) == "Tidak" and show("located", True, {}, {}) == "Ya"
        assert show("size", 1536, {}, {}) == "1,5 KB"
        assert show("deadline", "2026-12-07T08:00:00+00:00", {}, {}) == "7 Des 2026 16.00 WITA"
        assert show("date", "2024-07-23", {}, {}) == "23 Juli 2024"
        assert show("year", 2025, {}, {}) == "2025" and show("question", "1.1", {}, {}) == "1.1"
        assert show("region", "16.71", NAMES, {}) == "KOTA PALEMBANG"
        assert show("status", "returned", {}, {"status": {"returned": "Dikembalikan"}}) == "Dikembalikan"
        assert show("note", None, {}, {}) == "–" and show("agencies", [], NAMES, {}) == "–"


def test_english_pages_read_english_numbers() -> None:
    with translation.override("en"):
        assert show("value", {"number": "1234.5"}, {}, {}).endswith(": 1,234.5")
        assert show("points", "1234.5", {}, {}) == "1,234.5"


def test_fingerprints_are_left_out_and_unknown_actions_are_not_shown_as_codes() -> None:
    event = _event("kla.something.new", after={"sha256": "ab" * 32, "name": "sk.pdf"})
    view = describe(event, {})
    assert view.label == "Perubahan data" and [c.field for c in view.changes] == ["nama"]
    assert [c.field for c in changes(event, {}, {}, hidden=frozenset({"name"}))] == []


def test_references_collect_the_ids_to_read_in_bulk() -> None:
    events = [
        _event("kla.entry.assigned", {"agencies": [4]}, {"agencies": [4, 6]}),
        _event("kla.entry.reassigned", {"agency": 9, "entries": [1, 2]}, {"agency": 6}),
        _event("kla.cycle.deadline_extended", None, {"regions": ["16.71"]}),
    ]
    assert references(events) == {"agency": {4, 6, 9}, "entry": {1, 2}, "region": {"16.71"}}


@pytest.mark.parametrize("value", [{"a": 1}, [1, 2], "x", 3])
def test_a_value_of_any_shape_becomes_text(value: Any) -> None:
    text = show("whatever", value, {}, {})
    assert isinstance(text, str) and "{" not in text and "[" not in text


def test_an_option_reads_by_its_label_and_a_typed_number_is_no_document_number() -> None:
    options = {"option": {"perda": "Peraturan Daerah (Perda)"}}
    with translation.override("id"):
        assert show("value", {"option": "perda"}, {}, options) == "pilihan: Peraturan Daerah (Perda)"
        assert show("value", {"number": "1500"}, {}, {}) == "angka: 1.500"
        assert show("number", "1500", {}, {}) == "1500"  # a document's number, as written


def test_a_value_empty_before_and_after_makes_no_line() -> None:
    event = _event(
        "kla.answer.saved", {"value": {}, "justification": ""}, {"value": {"yes": True}, "justification": ""}
    )
    assert [(c.field, c.before, c.after) for c in changes(event, {}, {})] == [("jawaban", "–", "ya/tidak: Ya")]
