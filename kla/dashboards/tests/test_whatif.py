"""The what-if sandbox: answers changed in a scratch copy, scored like real answers, never saved, never a sealed
score; refused like a real answer when out of range; the secretariat of the kab/kota only."""

from __future__ import annotations

from typing import Any

import pytest

from kla.evaluations.models import Answer, Evaluation

CYCLE = "evaluasi-kla-demo"
URL = f"/dasbor/kabkota/16.71/simulasi/?cycle={CYCLE}"
pytestmark = pytest.mark.django_db


def _stored() -> list[tuple[Any, ...]]:
    evaluation = Evaluation.objects.get(cycle__code=CYCLE, region_id="16.71")
    rows = Answer.objects.filter(entry__evaluation=evaluation).order_by("pk")
    return list(rows.values_list("pk", "value", "points", "version", "answered"))


def test_a_changed_answer_moves_the_trial_score_and_touches_no_real_entry(client_for: Any) -> None:
    client = client_for("secretariat")
    before = _stored()
    page = client.get(URL)
    assert page.status_code == 200
    real = page.context["board"].real
    response = client.post(URL, {"question": "1.4", "number": "7"})
    assert response.status_code == 302
    board = client.get(URL).context["board"]
    assert board.real == real and board.trial > board.real
    assert [x.code for x in board.changed] == ["1"]  # question 1.4 belongs to indicator 1
    assert _stored() == before  # the real answers are untouched
    html = client.get(URL).content.decode()
    assert "diubah di simulasi" in html


def test_an_out_of_range_answer_is_refused_like_a_real_one(client_for: Any) -> None:
    client = client_for("secretariat")
    response = client.post(URL, {"question": "1.4", "number": "1.2,3"})
    assert response.status_code == 422
    assert "Simulasi tidak diubah." in response.content.decode()
    assert client.session.get(f"kla.whatif.{response.context['board'].evaluation.pk}") is None
    assert client.post(URL, {"question": "1.4", "number": "-5"}).status_code == 422


def test_reset_empties_the_scratch_copy(client_for: Any) -> None:
    client = client_for("secretariat")
    client.post(URL, {"question": "1.4", "number": "7"})
    assert client.post(URL, {"reset": "1"}).status_code == 302
    board = client.get(URL).context["board"]
    assert board.trial == board.real and not board.changed


def test_an_unknown_question_is_404(client_for: Any) -> None:
    assert client_for("secretariat").post(URL, {"question": "99.9", "number": "1"}).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [("province", 403), ("ministry_admin", 403), ("opd", 403), ("other_secretariat", 404), ("no_role", 404)],
)
def test_the_secretariat_of_the_kabkota_only(client_for: Any, persona: str, status: int) -> None:
    assert client_for(persona).get(URL).status_code == status
