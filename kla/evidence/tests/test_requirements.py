"""Required evidence of a question against the types of its active files (pure: no database)."""

from __future__ import annotations

from kla.evidence.requirements import first_missing, missing_by_question, missing_types, requirements

SPEC = {
    "evidence": [
        {"type": "decree", "description": "SK Gugus Tugas", "description_en": "Task force decree", "required": True},
        {"type": "report", "description": "Laporan kegiatan", "description_en": "Activity report"},  # default: required
        {"type": "photo", "description": "Foto", "description_en": "Photos", "required": False},
    ]
}


def test_required_items_in_the_instruments_order_with_their_tick() -> None:
    found = requirements(SPEC, {"report", "photo"})
    assert [(r.type, r.description, r.description_en, r.attached) for r in found] == [
        ("decree", "SK Gugus Tugas", "Task force decree", False),
        ("report", "Laporan kegiatan", "Activity report", True),
    ]  # the optional photo is not listed


def test_nothing_required_when_the_question_names_no_evidence_or_the_spec_is_odd() -> None:
    assert requirements({}, set()) == []
    assert requirements({"evidence": None}, set()) == []
    assert requirements({"evidence": "decree"}, set()) == []
    assert requirements({"evidence": ["decree", {"type": "report", "required": False}]}, set()) == []


def test_missing_types_once_each_in_order() -> None:
    twice = {"evidence": [{"type": "minutes"}, {"type": "photo"}, {"type": "minutes", "description": "daftar hadir"}]}
    assert missing_types(twice, set()) == ["minutes", "photo"]
    assert missing_types(twice, {"minutes"}) == ["photo"]
    assert missing_types(twice, {"minutes", "photo", "video"}) == []


def test_missing_by_question_keeps_only_questions_that_lack_something() -> None:
    questions = [("1.1", SPEC), ("1.2", {"evidence": [{"type": "budget"}]}), ("1.3", {})]
    assert missing_by_question(questions, {"1.1": {"decree", "report"}}) == [("1.2", ["budget"])]
    assert missing_by_question(questions, {"1.1": {"decree"}, "1.2": {"budget"}}) == [("1.1", ["report"])]
    assert missing_by_question(questions, {}) == [("1.1", ["decree", "report"]), ("1.2", ["budget"])]


def test_the_upload_form_suggests_the_first_type_still_missing() -> None:
    assert first_missing(SPEC, set()) == "decree"
    assert first_missing(SPEC, {"decree"}) == "report"
    assert first_missing(SPEC, {"decree", "report"}) == "decree"  # all there: the instrument's first type
    assert first_missing({"evidence": [{"type": "photo", "required": False}]}, set()) == "photo"
    assert first_missing({}, set()) == ""
    assert first_missing({"evidence": ["x"]}, set()) == ""
