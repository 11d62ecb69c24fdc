"""The evaluation page's agency checkboxes built in Python: the same markup the template wrote, names escaped."""

from __future__ import annotations

from kla.evaluations.assign_choices import checkboxes


def test_assigned_agencies_are_checked_and_names_escaped() -> None:
    html = checkboxes([(3, "DINKES"), (7, "<DP&PA>")], ["DINKES"])
    assert html == (
        '<label class="choice"><input type="checkbox" name="agencies" value="3" checked> DINKES</label>'
        '<label class="choice"><input type="checkbox" name="agencies" value="7" > &lt;DP&amp;PA&gt;</label>'
    )


def test_no_agencies_no_checkboxes() -> None:
    assert checkboxes([], ["DINKES"]) == ""
