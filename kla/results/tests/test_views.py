"""Results pages through the HTTP stack: who may open them, the seal in the HTML, constant query counts."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import PERSONAS
from kla.accounts.models import User
from kla.accounts.roles import Role
from kla.accounts.services import user_create
from kla.evaluations.models import Cycle, Evaluation
from kla.evaluations.seal import ScoreStage
from kla.results import services
from kla.results.models import PredicateRecord, StageScore, Target

pytestmark = pytest.mark.django_db

DEMO = "evaluasi-kla-demo"
ALL = list(PERSONAS)
SEALED = {
    ScoreStage.PROVINCE_VA: "777.77",
    ScoreStage.MINISTRY_VA: "666.66",
    ScoreStage.VL: "655.55",
    ScoreStage.FINAL: "654.32",
}
MINISTRY_REASON = "Kementerian-menolak-SK-kedaluwarsa"
BAND = "Madya"  # the band of 654.32


# --- helpers (also used by test_services) ------------------------------------------------------------------


def palembang() -> Evaluation:
    return Evaluation.objects.select_related("cycle__framework").get(cycle__code=DEMO, region_id="16.71")


def _breakdown(evaluation: Evaluation, stage: ScoreStage, fraction: Decimal) -> dict:
    """Shaped like kla.verification: per question for administrative stages, per indicator for the field visit."""
    indicators = {}
    if stage == ScoreStage.VL:
        for ind in evaluation.cycle.framework.indicators.order_by("position"):
            indicators[ind.code] = {
                "name": ind.name,
                "max": str(ind.max_points),
                "base": str((ind.max_points * fraction).quantize(Decimal("0.01"))),
                "points": str((ind.max_points * fraction).quantize(Decimal("0.01"))),
                "reason": f"Kunjungan lapangan {ind.code}",
            }
        return {"indicators": indicators}
    for ind in evaluation.cycle.framework.indicators.order_by("position").prefetch_related("questions"):
        questions = {
            q.code: {
                "base": str(q.max_points),
                "points": str((q.max_points * fraction).quantize(Decimal("0.01"))),
                "max": str(q.max_points),
                "decision": "corrected" if i == 0 else "accepted",
                "reason": MINISTRY_REASON if stage == ScoreStage.MINISTRY_VA else f"alasan {stage.value}",
                "method": f"Cara hitung {q.code}",
            }
            for i, q in enumerate(ind.questions.all())
        }
        indicators[ind.code] = {
            "name": ind.name,
            "max": str(ind.max_points),
            "points": str((ind.max_points * fraction).quantize(Decimal("0.01"))),
            "questions": questions,
        }
    return {"indicators": indicators}


def submit_em(evaluation: Evaluation, em: str = "612.34", fraction: Decimal = Decimal("0.6")) -> None:
    indicators = evaluation.cycle.framework.indicators.all()
    evaluation.em_score = Decimal(em)
    evaluation.em_snapshot = {
        "total": em,
        "indicators": {
            i.code: {"points": str((i.max_points * fraction).quantize(Decimal("0.01"))), "answered": 1, "questions": 1}
            for i in indicators
        },
    }
    evaluation.status = Evaluation.Status.SUBMITTED
    evaluation.save()


def determine(
    evaluation: Evaluation, totals: dict[ScoreStage, str] | None = None, fraction: Decimal = Decimal("0.5")
) -> Evaluation:
    """Put an evaluation into "determined" with stage scores (the verification pages are not part of this app)."""
    submit_em(evaluation)
    source = None
    for stage, total in (SEALED if totals is None else totals).items():
        if stage == ScoreStage.FINAL and source is not None:
            breakdown = {**source.breakdown, "source": source.stage}
        else:
            breakdown = _breakdown(evaluation, stage, fraction)
        row, _ = StageScore.objects.update_or_create(
            evaluation=evaluation,
            stage=stage.value,
            defaults={
                "total": Decimal(total),
                "band_code": "madya",
                "framework_code": evaluation.cycle.framework.code,
                "breakdown": breakdown,
            },
        )
        if stage in (ScoreStage.MINISTRY_VA, ScoreStage.VL):
            source = row
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.DETERMINED)
    evaluation.refresh_from_db()
    return evaluation


def second_admin() -> User:
    """A second ministry administrator, created through the accounts service (once per test)."""
    existing = User.objects.filter(username="kemen-admin-2").first()
    if existing is not None:
        return existing
    return user_create(
        username="kemen-admin-2",
        full_name="Admin Kedua",
        email="admin2@demo.kla.invalid",
        password=None,
        role=Role.MINISTRY_ADMIN,
        region=None,
        by=None,
    )


def admin() -> User:
    return User.objects.get(username="kemen-admin")


def publish(cycle: Cycle, release_at: dt.datetime | None = None) -> None:
    """Two administrators: one requests, the other confirms."""
    release_at = release_at or timezone.now() - dt.timedelta(minutes=1)
    services.publish_request(cycle=cycle, release_at=release_at, by=admin())
    services.publish_confirm(cycle=cycle, by=second_admin())


def formatted(value: str) -> list[str]:
    return [value, value.replace(".", ",")]


def without_selects(html: str) -> str:
    """The target form lists every band name as an option; they are choices, not a result."""
    return re.sub(r"<select.*?</select>", "", html, flags=re.S)


def result_urls(evaluation: Evaluation) -> list[str]:
    return [
        reverse("results:score_sheet", kwargs={"cycle_code": DEMO, "pk": evaluation.pk}),
        reverse("results:region", kwargs={"code": "16.71"}),
        reverse("results:public_index"),
        reverse("results:public_cycle", kwargs={"cycle_code": DEMO}),
        reverse("results:publication", kwargs={"cycle_code": DEMO}),
    ]


# --- persona access ----------------------------------------------------------------------------------------


def statuses(default: int, **over: int) -> dict[str, int]:
    return {**dict.fromkeys(ALL, default), **over}


PALEMBANG_VIEW = statuses(200, anonymous=302, no_role=404, other_secretariat=404)
ADMIN_ONLY_GET = statuses(403, anonymous=302, ministry_admin=200)
ADMIN_ONLY_POST = statuses(403, anonymous=302, ministry_admin=302)
TARGET_POST = statuses(
    403, anonymous=302, no_role=404, other_secretariat=404, secretariat=302, province=302, ministry_admin=302
)

MATRIX: dict[str, tuple[dict[str, object], dict[str, dict[str, int]]]] = {
    "results:public_index": ({}, {"GET": statuses(200), "POST": statuses(405)}),
    # the demo cycle is not published: its public page does not exist yet for anybody
    "results:public_cycle": ({"cycle_code": DEMO}, {"GET": statuses(404), "POST": statuses(405)}),
    "results:score_sheet": ({"cycle_code": DEMO, "pk": "palembang"}, {"GET": PALEMBANG_VIEW, "POST": statuses(405)}),
    "results:region": ({"code": "16.71"}, {"GET": PALEMBANG_VIEW, "POST": TARGET_POST}),
    "results:publication": ({"cycle_code": DEMO}, {"GET": ADMIN_ONLY_GET, "POST": statuses(405)}),
    "results:publication_request": ({"cycle_code": DEMO}, {"GET": statuses(405), "POST": ADMIN_ONLY_POST}),
    "results:publication_confirm": ({"cycle_code": DEMO}, {"GET": statuses(405), "POST": ADMIN_ONLY_POST}),
    "results:publication_withdraw": ({"cycle_code": DEMO}, {"GET": statuses(405), "POST": ADMIN_ONLY_POST}),
}
CASES = [(name, method, persona) for name, (_kw, rule) in MATRIX.items() for method in rule for persona in ALL]


@pytest.mark.parametrize(("name", "method", "persona"), CASES)
def test_persona_access(name, method, persona, client_for) -> None:
    kwargs, rule = MATRIX[name]
    kwargs = {k: (palembang().pk if v == "palembang" else v) for k, v in kwargs.items()}
    url = reverse(name, kwargs=kwargs)
    client = client_for(persona)
    response = client.get(url) if method == "GET" else client.post(url, {})
    assert response.status_code == rule[method][persona], f"{method} {url} as {persona}"
    if response.status_code == 302 and persona == "anonymous":
        assert response.url.startswith(reverse("accounts:login"))


def test_published_cycle_page_is_open_to_everybody(client_for) -> None:
    evaluation = determine(palembang())
    publish(evaluation.cycle)
    url = reverse("results:public_cycle", kwargs={"cycle_code": DEMO})
    for persona in ALL:
        assert client_for(persona).get(url).status_code == 200, persona


def test_unpublished_cycle_says_so(client_for) -> None:
    response = client_for("ministry_admin").get(reverse("results:public_cycle", kwargs={"cycle_code": DEMO}))
    assert response.status_code == 404 and "Hasil belum diumumkan" in response.content.decode()


def test_score_sheet_of_another_cycle_code_is_404(client_for) -> None:
    url = reverse("results:score_sheet", kwargs={"cycle_code": "siklus-lain", "pk": palembang().pk})
    assert client_for("ministry_admin").get(url).status_code == 404


# --- the seal, as the HTML shows it --------------------------------------------------------------------------


def _leaks(html: str, values: list[str]) -> list[str]:
    return [v for value in values for v in formatted(value) if v in html]


@pytest.mark.parametrize("persona", ["secretariat", "opd", "province", "other_secretariat", "anonymous", "no_role"])
def test_sealed_scores_never_reach_region_province_or_public(persona, client_for) -> None:
    evaluation = determine(palembang())
    # the demo target is Madya, the sealed band: aim higher so the band name can only come from the result
    Target.objects.filter(region_id="16.71").update(band_code="utama")
    client = client_for(persona)
    allowed = {ScoreStage.PROVINCE_VA} if persona == "province" else set()
    sealed = [v for stage, v in SEALED.items() if stage not in allowed]
    for url in result_urls(evaluation):
        html = client.get(url).content.decode()
        assert not _leaks(html, sealed), f"{url} as {persona}"
        assert BAND not in without_selects(html), f"{url} as {persona}"
        assert MINISTRY_REASON not in html, f"{url} as {persona}"


def test_province_sees_its_own_administrative_verification_and_the_seal_notice(client_for) -> None:
    evaluation = determine(palembang())
    url = reverse("results:score_sheet", kwargs={"cycle_code": DEMO, "pk": evaluation.pk})
    html = client_for("province").get(url).content.decode()
    assert "777,77" in html and "612,34" in html
    assert "Nilai verifikasi masih disegel sampai pengumuman" in html
    assert "alasan province_va" in html  # its own reasons, in the details


def test_region_sees_its_em_and_the_seal_notice(client_for) -> None:
    evaluation = determine(palembang())
    url = reverse("results:score_sheet", kwargs={"cycle_code": DEMO, "pk": evaluation.pk})
    html = client_for("secretariat").get(url).content.decode()
    assert "612,34" in html and "Nilai verifikasi masih disegel sampai pengumuman" in html


@pytest.mark.parametrize("persona", ["ministry_verifier", "field_verifier", "ministry_admin"])
def test_ministry_sees_every_stage_the_predicate_and_the_explanations(persona, client_for) -> None:
    evaluation = determine(palembang())
    url = reverse("results:score_sheet", kwargs={"cycle_code": DEMO, "pk": evaluation.pk})
    html = client_for(persona).get(url).content.decode()
    for value in SEALED.values():
        assert value.replace(".", ",") in html
    assert BAND in html and MINISTRY_REASON in html
    assert "Cara hitung 4.1" in html and "Dikoreksi" in html
    assert "Kunjungan lapangan 4" in html and "Nilai akhir ditetapkan dari Verifikasi lapangan (VL)" in html
    assert "Nilai verifikasi masih disegel" not in html


def test_after_publication_region_and_province_see_everything_public_sees_predicates(client_for) -> None:
    evaluation = determine(palembang())
    publish(evaluation.cycle)
    sheet = reverse("results:score_sheet", kwargs={"cycle_code": DEMO, "pk": evaluation.pk})
    for persona in ("secretariat", "opd", "province"):
        html = client_for(persona).get(sheet).content.decode()
        assert all(v.replace(".", ",") in html for v in SEALED.values()), persona
        assert BAND in html and "Nilai verifikasi masih disegel" not in html
    public = reverse("results:public_cycle", kwargs={"cycle_code": DEMO})
    html = client_for("anonymous").get(public + "?provinsi=16").content.decode()
    assert "Palembang" in html and BAND in html
    assert not _leaks(html, list(SEALED.values()))  # no final score: the cycle does not publish details
    assert "Provinsi Layak Anak" in html
    # the other kab/kota have no predicate: the province is not eligible, and the blockers are named
    assert "Belum memenuhi syarat" in html and "Lubuk Linggau" in html
    region = client_for("secretariat").get(reverse("results:region", kwargs={"code": "16.71"})).content.decode()
    assert "Nilai akhir yang diumumkan" in region and "654,32" in region
    assert client_for("other_secretariat").get(sheet).status_code == 404


def test_public_details_show_the_final_score_and_points_needed(client_for) -> None:
    evaluation = determine(palembang())
    lubuk = Evaluation.objects.get(cycle__code=DEMO, region_id="16.73")
    determine(lubuk, totals={ScoreStage.MINISTRY_VA: "480.00", ScoreStage.FINAL: "480.00"})
    Cycle.objects.filter(pk=evaluation.cycle_id).update(public_details=True)
    publish(evaluation.cycle)
    url = reverse("results:public_cycle", kwargs={"cycle_code": DEMO})
    html = client_for("anonymous").get(url + "?provinsi=16").content.decode()
    assert "654,32" in html and "480,00" in html
    assert "kurang 20,00 poin" in html  # Lubuklinggau below Pratama (500)


def test_hidden_final_scores_name_no_points(client_for) -> None:
    evaluation = determine(palembang())
    lubuk = Evaluation.objects.get(cycle__code=DEMO, region_id="16.73")
    determine(lubuk, totals={ScoreStage.MINISTRY_VA: "480.00", ScoreStage.FINAL: "480.00"})
    publish(evaluation.cycle)
    html = client_for("anonymous").get(reverse("results:public_cycle", kwargs={"cycle_code": DEMO}) + "?provinsi=16")
    body = html.content.decode()
    assert "480,00" not in body and "20,00" not in body
    assert "Belum berpredikat" in body


def test_public_search_and_htmx_partial(client_for) -> None:
    determine(palembang())
    publish(palembang().cycle)
    url = reverse("results:public_cycle", kwargs={"cycle_code": DEMO})
    response = client_for("anonymous").get(url, {"q": "palem"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "Palembang" in body and "Lubuk Linggau" not in body
    assert "HX-Request" in response["Vary"]
    index = client_for("anonymous").get(reverse("results:public_index")).content.decode()
    assert "Evaluasi KLA (demo)" in index


# --- publication through the pages ---------------------------------------------------------------------------


def test_publication_needs_a_second_administrator(client_for) -> None:
    evaluation = determine(palembang())
    client = client_for("ministry_admin")
    page = reverse("results:publication", kwargs={"cycle_code": DEMO})
    release = timezone.localtime() - dt.timedelta(minutes=5)
    response = client.post(
        reverse("results:publication_request", kwargs={"cycle_code": DEMO}),
        {"release_at": release.strftime("%Y-%m-%dT%H:%M")},
        follow=True,
    )
    body = response.content.decode()
    assert "Permintaan pengumuman dicatat" in body
    assert "menunggu konfirmasi administrator lain" in body and "Konfirmasi pengumuman" not in body
    response = client.post(reverse("results:publication_confirm", kwargs={"cycle_code": DEMO}), follow=True)
    assert "administrator lain" in response.content.decode()
    cycle = Cycle.objects.get(pk=evaluation.cycle_id)
    assert cycle.published_at is None and not PredicateRecord.objects.filter(cycle=cycle).exists()
    other = client_for("ministry_admin")
    other.force_login(second_admin())
    assert "Konfirmasi pengumuman" in other.get(page).content.decode()
    response = other.post(reverse("results:publication_confirm", kwargs={"cycle_code": DEMO}), follow=True)
    assert "1 kabupaten/kota diumumkan" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.is_published() and cycle.published_by.username == "kemen-admin-2"
    assert "Hasil sudah tampil sejak" in other.get(page).content.decode()


def test_publication_shows_blockers_and_refuses(client_for) -> None:
    client = client_for("ministry_admin")
    page = reverse("results:publication", kwargs={"cycle_code": DEMO})
    assert "belum ada kabupaten/kota yang ditetapkan" in client.get(page).content.decode()
    response = client.post(
        reverse("results:publication_request", kwargs={"cycle_code": DEMO}),
        {"release_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
        follow=True,
    )
    assert "Belum dapat diumumkan" in response.content.decode()
    assert Cycle.objects.get(code=DEMO).publish_requested_at is None


def test_withdraw_clears_the_request(client_for) -> None:
    determine(palembang())
    services.publish_request(cycle=palembang().cycle, release_at=timezone.now(), by=admin())
    response = client_for("ministry_admin").post(
        reverse("results:publication_withdraw", kwargs={"cycle_code": DEMO}), follow=True
    )
    assert "Permintaan pengumuman ditarik" in response.content.decode()
    assert Cycle.objects.get(code=DEMO).publish_requested_at is None


def test_bad_release_time_is_a_message(client_for) -> None:
    response = client_for("ministry_admin").post(
        reverse("results:publication_request", kwargs={"cycle_code": DEMO}), {"release_at": "besok"}, follow=True
    )
    assert "Permintaan belum dikirim" in response.content.decode()


# --- region page: target and gap ------------------------------------------------------------------------------


def test_secretariat_sets_a_target_and_sees_the_gap_from_em(client_for) -> None:
    submit_em(palembang())
    client = client_for("secretariat")
    url = reverse("results:region", kwargs={"code": "16.71"})
    response = client.post(url, {"band_code": "nindya", "year": "2027", "note": "RPJMD"}, follow=True)
    body = response.content.decode()
    assert "Target predikat disimpan" in body
    assert Target.objects.get(region_id="16.71").band_code == "nindya"
    assert "Perkiraan dari nilai evaluasi mandiri" in body
    assert "Perlu 88,66 poin lagi untuk predikat Nindya" in body  # 701 − 612,34
    assert "prioritas" in body and "DISDUKCAPIL" in body.upper()


def test_target_form_only_for_those_who_may_set_it(client_for) -> None:
    url = reverse("results:region", kwargs={"code": "16.71"})
    assert 'name="band_code"' in client_for("province").get(url).content.decode()
    assert 'name="band_code"' in client_for("ministry_admin").get(url).content.decode()
    for persona in ("opd", "ministry_verifier"):
        assert 'name="band_code"' not in client_for(persona).get(url).content.decode()
    response = client_for("opd").post(url, {"band_code": "nindya"})
    assert response.status_code == 403 and Target.objects.get(region_id="16.71").band_code == "madya"


def test_unknown_band_is_refused_with_a_message(client_for) -> None:
    response = client_for("secretariat").post(
        reverse("results:region", kwargs={"code": "16.71"}), {"band_code": "emas"}, follow=True
    )
    assert "Target belum disimpan" in response.content.decode()


def test_region_that_is_not_a_kabkota_is_404(client_for) -> None:
    assert client_for("ministry_admin").get(reverse("results:region", kwargs={"code": "16"})).status_code == 404


# --- constant query counts -------------------------------------------------------------------------------------


def _count(client, url: str) -> int:
    client.get(url)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_score_sheet_query_count_does_not_grow_with_stages(client_for) -> None:
    evaluation = determine(palembang(), totals={ScoreStage.PROVINCE_VA: "500.00"})
    client = client_for("ministry_verifier")
    url = reverse("results:score_sheet", kwargs={"cycle_code": DEMO, "pk": evaluation.pk})
    small = _count(client, url)
    determine(evaluation)
    assert _count(client, url) == small
    assert small <= 12


def test_region_page_query_count_does_not_grow_with_history(client_for) -> None:
    submit_em(palembang())
    Target.objects.update_or_create(region_id="16.71", defaults={"band_code": "nindya"})
    PredicateRecord.objects.create(
        region_id="16.71", year=2010, band_code="pratama", band_name="Pratama", source="import"
    )
    client = client_for("secretariat")
    url = reverse("results:region", kwargs={"code": "16.71"})
    small = _count(client, url)
    for year in range(2011, 2017):
        PredicateRecord.objects.create(
            region_id="16.71", year=year, band_code="madya", band_name="Madya", source="import"
        )
    old = Cycle.objects.create(
        code="evaluasi-lama", name="Evaluasi lama", year=2020, framework=palembang().cycle.framework
    )
    Evaluation.objects.create(cycle=old, region_id="16.71", em_score=Decimal("400"))
    assert _count(client, url) == small
    # session, the user with memberships, the kab/kota with its target, its evaluations, the bands (read once), the
    # stage scores, the entries with their assigned agencies, the predicate history
    assert small == 8


def test_public_page_query_count_does_not_grow_with_regions(client_for) -> None:
    determine(palembang())
    publish(palembang().cycle)
    client = client_for("anonymous")
    url = reverse("results:public_cycle", kwargs={"cycle_code": DEMO})
    small = (_count(client, url), _count(client, url + "?provinsi=16"))
    others = Evaluation.objects.filter(cycle__code=DEMO).exclude(region_id="16.71")[:8]
    for i, evaluation in enumerate(others):
        StageScore.objects.create(
            evaluation=evaluation, stage="final", total=Decimal(520 + 20 * i), framework_code="kla-2024-ref"
        )
    assert (_count(client, url), _count(client, url + "?provinsi=16")) == small
    assert max(small) <= 8
