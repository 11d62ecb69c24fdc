"""`kla.core.marking`: a pure module's sentence is its Indonesian string, said again in another language on demand, and
kept in a row as JSON of its msgid and values. Database-free."""

from __future__ import annotations

import pickle
from decimal import Decimal

from kla.core.formatting import format_number
from kla.core.marking import Text, as_text, dumps, joined, loads
from kla.core.marking import gettext_noop as mark  # not collected into the catalogue: these are test sentences

ENGLISH = {
    "Nilai %(score)s di bawah %(gate)s.": "Score %(score)s is below %(gate)s.",
    "ambang batas": "the threshold",
    "Isi tahunnya.": "Fill in the year.",
    "%(head)s, dan %(last)s": "%(head)s and %(last)s",
}


def english(message: str) -> str:
    return ENGLISH.get(message, message)


def test_marked_text_is_the_message_itself() -> None:
    assert mark("Isi tahunnya.") == "Isi tahunnya."


def test_a_text_is_its_indonesian_and_says_itself_again_in_english() -> None:
    score = Decimal("1234.5")
    text = Text(
        mark("Nilai %(score)s di bawah %(gate)s."),
        score=lambda lang: format_number(score, 2, lang=lang),
        gate=Text(mark("ambang batas")),
    )
    assert text == "Nilai 1.234,50 di bawah ambang batas."
    assert isinstance(text, str) and "1.234,50" in text
    assert text.render(english, "en") == "Score 1,234.50 is below the threshold."
    assert text.render(lambda m: m, "id") == text


def test_a_text_without_values_is_not_formatted_and_an_empty_one_stays_empty() -> None:
    assert Text("120% dari target") == "120% dari target"
    assert Text("120% dari target").render(english, "en") == "120% dari target"
    assert Text("").render(lambda m: "catalogue header", "en") == ""


def test_sentences_joined_are_said_one_by_one() -> None:
    both = joined(mark("Isi tahunnya."), "", Text(mark("ambang batas")))
    assert both == "Isi tahunnya. ambang batas"
    assert both.render(english, "en") == "Fill in the year. the threshold"
    assert as_text(both) is both
    assert as_text("Isi tahunnya.").render(english, "en") == "Fill in the year."


def test_kept_in_a_row_and_read_back() -> None:
    text = Text(
        mark("Nilai %(score)s di bawah %(gate)s."),
        score=lambda lang: format_number(Decimal(5), lang=lang),
        gate=Text(mark("ambang batas")),
    )
    stored = dumps(text)
    assert stored.startswith('{"msgid":')
    again = loads(stored)
    assert again == "Nilai 5 di bawah ambang batas."
    assert isinstance(again, Text) and again.render(english, "en") == "Score 5 is below the threshold."
    assert dumps(mark("Isi tahunnya.")) == "Isi tahunnya."
    assert dumps(Text(mark("Isi tahunnya."))) == "Isi tahunnya."
    assert loads("Teks lama yang disimpan apa adanya.") == "Teks lama yang disimpan apa adanya."
    assert loads('{"msgid": rusak') == '{"msgid": rusak'


def test_a_text_survives_pickling() -> None:
    text = Text(mark("Nilai %(score)s di bawah %(gate)s."), score=5, gate=Text(mark("ambang batas")))
    again = pickle.loads(pickle.dumps(text))
    assert again == text and again.render(english, "en") == "Score 5 is below the threshold."
