"""The per-process HTML of empty forms: the same HTML as the form renders, never stale when its choices change,
never kept for a bound form."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation

from kla.core import form_html


class Pick(forms.Form):
    name = forms.CharField(label="Nama", max_length=20)
    colour = forms.ChoiceField(label="Warna", choices=[("m", "Merah")])


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    form_html.clear()


def test_an_empty_form_is_rendered_once_and_served_as_rendered() -> None:
    first = form_html.as_div(Pick())
    assert first == Pick().as_div()
    assert form_html.size() == 1
    assert form_html.as_div(Pick()) == first
    assert form_html.size() == 1


def test_new_choices_or_initial_values_are_a_new_entry() -> None:
    form_html.as_div(Pick())
    changed = Pick()
    changed.fields["colour"].choices = [("m", "Merah"), ("b", "Biru")]
    html = form_html.as_div(changed)
    assert "Biru" in html and form_html.size() == 2
    assert 'value="Ani"' in form_html.as_div(Pick(initial={"name": "Ani"}))
    assert form_html.size() == 3


def test_a_bound_form_is_rendered_with_its_errors_and_not_kept() -> None:
    bound = Pick(data={"name": "", "colour": "x"})
    html = form_html.as_div(bound)
    assert "errorlist" in html
    assert form_html.size() == 0


def test_the_language_is_part_of_the_key() -> None:
    with translation.override("id"):
        form_html.as_div(Pick())
    with translation.override("en"):
        form_html.as_div(Pick())
    assert form_html.size() == 2


def test_a_partial_template_is_cached_alike() -> None:
    html = form_html.with_template(Pick(), "registration/_form.html")
    assert 'name="name"' in html and form_html.with_template(Pick(), "registration/_form.html") == html
    assert form_html.size() == 1
