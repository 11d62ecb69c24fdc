"""`{% options %}`: a select's options in one call, escaped, the submitted value selected."""

from __future__ import annotations

from django.template import Context, Template


def _render(choices: object, selected: object) -> str:
    template = Template("{% load choices %}{% options choices selected %}")
    return template.render(Context({"choices": choices, "selected": selected}))


def test_options_are_escaped_and_the_selected_value_compared_as_text() -> None:
    html = _render([("", "Semua"), ("16", "Sumatera <Selatan>"), (17, "Bengkulu")], "17")
    assert html == (
        '<option value="">Semua</option>'
        '<option value="16">Sumatera &lt;Selatan&gt;</option>'
        '<option value="17" selected>Bengkulu</option>'
    )


def test_nothing_or_an_unknown_value_selects_the_empty_choice_or_nothing() -> None:
    choices = [("", "Semua"), ("16", "Sumatera Selatan")]
    assert _render(choices, None).count(" selected") == 1 and '<option value="" selected>' in _render(choices, None)
    assert " selected" not in _render(choices, '"><script>')
    assert _render([], "16") == ""
