"""No query grows with data: the main pages and API lists run the same number of SQL queries with one province of
national data (every workflow state, a published cycle) and after the national seed has added two more provinces of
evaluations, answers, verdicts and evidence."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kla.evaluations.models import Evaluation

PAGES = [
    # (persona, path builder)
    ("secretariat", lambda: "/evaluasi/"),
    ("secretariat", lambda: f"/evaluasi/{_palembang()}/"),
    ("opd", lambda: "/tugas-saya/"),
    ("province", lambda: "/verifikasi/"),
    ("province", lambda: "/verifikasi/evaluasi-kla-demo/provinsi/16/"),
    ("ministry_verifier", lambda: "/verifikasi/?tahap=province_review"),
    ("ministry_verifier", lambda: "/verifikasi/?tahap=field_verification"),
    ("anonymous", lambda: f"/hasil/{_national_cycle()}/"),
    ("anonymous", lambda: f"/hasil/{_national_cycle()}/?provinsi=16"),
    ("ministry_verifier", lambda: f"/hasil/evaluasi-kla-demo/evaluasi/{_palembang()}/"),
    ("secretariat", lambda: "/hasil/wilayah/16.71/"),
    ("ministry_admin", lambda: "/siklus/"),
    ("ministry_verifier", lambda: "/api/v1/evaluations/?limit=50"),
    ("anonymous", lambda: "/api/v1/regions/?parent=16"),
    ("anonymous", lambda: "/hasil/"),
]


def _national_cycle() -> str:
    from kla.evaluations.models import Cycle

    cycle = Cycle.objects.filter(code__startswith="nasional-", published_at__isnull=False).first()
    assert cycle is not None
    return cycle.code


def _palembang() -> int:
    return Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.71").pk


def _counts(client_for: Any) -> dict[str, int]:
    out = {}
    for persona, path in PAGES:
        client = client_for(persona)
        url = path()
        client.get(url)  # warm per-process caches (content types, sessions)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (persona, url, response.status_code)
        out[f"{persona} {url}"] = len(
            [q for q in captured.captured_queries if "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]]
        )
    return out


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_national_data(client_for: Any) -> None:
    from kla.demo.national import seed_national

    seed_national(provinces=["16"])  # Sumatera Selatan: 17 kab/kota, two cycles, every state
    small = _counts(client_for)
    seed_national(provinces=["16", "75", "64"])  # adds Gorontalo and Kalimantan Timur
    large = _counts(client_for)
    assert large == small
