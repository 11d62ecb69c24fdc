"""The score-embargo canary: recognisable sealed scores, then every page and JSON response of the persona matrix,
read by every persona below the ministry, must not contain them. The ministry's view is the control: it must."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kla.evaluations.models import Evaluation
from kla.results.models import StageScore
from tests.test_persona_matrix import MATRIX

CANARIES = {"ministry_va": "666.66", "vl": "655.55", "final": "654.32"}
PROVINCE_OWN = "777.77"
BELOW_MINISTRY = ["anonymous", "no_role", "opd", "secretariat", "other_secretariat", "province"]


def spellings(value: str) -> list[str]:
    """How a number may appear: API JSON, Python, Indonesian format."""
    return [value, value.replace(".", ",")]


@pytest.fixture
def sealed(db: None) -> dict[str, str]:
    """Every GET URL of the matrix (objects such as evidence created while the evaluation is still open), then
    Palembang's evaluation determined with the canary scores."""
    urls = {name: reverse(name, kwargs=rule.kwargs()) for name, rule in MATRIX.items() if "GET" in rule.expect}
    evaluation = Evaluation.objects.select_related("cycle").get(cycle__code="evaluasi-kla-demo", region_id="16.71")
    evaluation.status = Evaluation.Status.DETERMINED
    evaluation.em_score = Decimal("888.88")
    evaluation.save()
    for stage, total in {"province_va": PROVINCE_OWN, **CANARIES}.items():
        StageScore.objects.create(
            evaluation=evaluation, stage=stage, total=Decimal(total), band_code="madya", framework_code="kla-2024-ref"
        )
    return urls


def _get_pages(client: Client, persona: str, urls: dict[str, str]) -> dict[str, str]:
    pages = {}
    for name, url in urls.items():
        if MATRIX[name].expect["GET"].get(persona) != 200:
            continue
        response = client.get(url)
        if response.status_code == 200 and not response.get("Content-Disposition", "").startswith("attachment"):
            pages[url] = response.content.decode(errors="replace")
    return pages


@pytest.mark.parametrize("persona", BELOW_MINISTRY)
def test_no_sealed_score_reaches_anyone_below_the_ministry(
    sealed: dict[str, str], client_for: Any, persona: str
) -> None:
    pages = _get_pages(client_for(persona), persona, sealed)
    assert pages, "the canary must read at least one page"
    forbidden = [s for v in CANARIES.values() for s in spellings(v)]
    if persona != "province":  # the province sees the administrative verification it made itself
        forbidden += spellings(PROVINCE_OWN)
    leaks = [(url, word) for url, body in pages.items() for word in forbidden if word in body]
    assert leaks == []


def test_the_ministry_sees_the_sealed_scores(sealed: dict[str, str], client_for: Any) -> None:
    """The control: the same pages do show the canaries to the ministry, so the search above can find them."""
    pages = _get_pages(client_for("ministry_verifier"), "ministry_verifier", sealed)
    found = {v for v in CANARIES.values() if any(s in body for body in pages.values() for s in spellings(v))}
    assert found == set(CANARIES.values())


def test_no_sealed_score_reaches_an_email(sealed: dict[str, str], client_for: Any, mailoutbox: list[Any]) -> None:
    """Every email the platform sends to people below the ministry, sent while the scores are sealed: the reminder to
    an agency, the returned-entries notice to the secretariat, and the password-reset link."""
    from kla.accounts.models import Membership
    from kla.evaluations.models import Entry
    from kla.evaluations.tasks import send_reminder
    from kla.verification.tasks import notify_returned

    evaluation = Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.71")
    agency = Membership.objects.filter(user__username="opd-palembang").exclude(agency=None).first().agency_id
    send_reminder.enqueue(evaluation.pk, agency, "Mohon segera dilengkapi.", "https://kla.example.go.id")
    entries = list(Entry.objects.filter(evaluation=evaluation).values_list("pk", flat=True)[:3])
    Entry.objects.filter(pk__in=entries).update(return_reason="Lengkapi SK Gugus Tugas.")
    notify_returned.enqueue(evaluation.pk, entries, "https://kla.example.go.id")
    Client().post(reverse("accounts:password_reset"), {"email": "gt-palembang@demo.kla.invalid"})
    kinds = {m.subject.split(" ")[0] for m in mailoutbox}
    assert len(mailoutbox) >= 3 and len(kinds) >= 3, [m.subject for m in mailoutbox]
    forbidden = [s for v in [*CANARIES.values(), PROVINCE_OWN] for s in spellings(v)]
    leaks = [(m.subject, s) for m in mailoutbox for s in forbidden if s in m.subject + m.body]
    assert leaks == []


def _export_texts(client: Client, user: Any) -> dict[str, str]:
    """Every export in every format, built for `user` and downloaded through the page; XLSX as its unzipped XML."""
    import zipfile
    from io import BytesIO

    from pypdf import PdfReader

    from kla.reports.exporters import EXPORTERS
    from kla.reports.models import Export
    from kla.reports.services import TABLE_FORMATS, build, grant_keys

    texts = {}
    for kind in EXPORTERS:
        for fmt in TABLE_FORMATS:
            export = Export.objects.create(
                kind=kind, cycle_code="evaluasi-kla-demo", format=fmt, grants=grant_keys(user), requested_by=user
            )
            build(export.pk)
            response = client.get(reverse("reports:download", args=[export.pk]))
            assert response.status_code == 200
            content = b"".join(response.streaming_content)
            if fmt == "xlsx":
                with zipfile.ZipFile(BytesIO(content)) as z:
                    content = b"".join(z.read(name) for name in z.namelist())
            texts[f"{kind}.{fmt}"] = content.decode(errors="replace")
    from kla.accounts import access
    from kla.accounts.roles import Action
    from kla.evaluations.models import Evaluation
    from kla.reports.services import request_score_sheet

    palembang = Evaluation.objects.select_related("cycle").get(cycle__code="evaluasi-kla-demo", region_id="16.71")
    if access.can(user, Action.EVALUATION_VIEW, palembang.region_id):  # the score sheet PDF, for those who may
        export = build(request_score_sheet(user=user, evaluation=palembang).pk)
        response = client.get(reverse("reports:download", args=[export.pk]))
        assert response.status_code == 200
        pdf = PdfReader(BytesIO(b"".join(response.streaming_content)))
        texts["lembar-nilai.pdf"] = "\n".join(page.extract_text() for page in pdf.pages)
        texts["paket-bukti.zip"] = _evidence_pack_text(client, user, palembang)
    return texts


def _evidence_pack_text(client: Client, user: Any, evaluation: Any) -> str:
    """The evidence pack (its list and every file, unzipped); evidence holds no scores, and neither may the pack."""
    import zipfile
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile

    from kla.evidence.services import evidence_upload
    from kla.evidence.tests import files
    from kla.reports.evidence_pack import pack_files
    from kla.reports.services import build, request_evidence_pack

    if not pack_files(evaluation).exists():
        entry = evaluation.entries.select_related("indicator").get(indicator__number=4)
        evidence_upload(
            entry=entry,
            question=entry.indicator.questions.order_by("position").first(),
            upload=SimpleUploadedFile("Laporan 2026.pdf", files.pdf()),
            evidence_type="report",
            meta={},
            by=None,
        )
    export = build(request_evidence_pack(user=user, evaluation=evaluation).pk)
    response = client.get(reverse("reports:download", args=[export.pk]))
    assert response.status_code == 200
    with zipfile.ZipFile(BytesIO(b"".join(response.streaming_content))) as z:
        return b"".join(z.read(name) for name in z.namelist()).decode(errors="replace")


@pytest.mark.parametrize("persona", ["opd", "secretariat", "other_secretariat", "province"])
def test_no_sealed_score_reaches_an_export(
    sealed: dict[str, str], client_for: Any, user_of: Any, persona: str, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    texts = _export_texts(client_for(persona), user_of(persona))
    forbidden = [s for v in CANARIES.values() for s in spellings(v)]
    if persona != "province":
        forbidden += spellings(PROVINCE_OWN)
    assert [(name, s) for name, text in texts.items() for s in forbidden if s in text] == []


def test_the_ministry_export_shows_the_sealed_scores(
    sealed: dict[str, str], client_for: Any, user_of: Any, settings: Any, tmp_path: Any
) -> None:
    """The control: the ministry's recap does hold the canaries (XLSX stores 655.55 as the number it is, the CSV
    writes it the Indonesian way, 655,55)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    texts = _export_texts(client_for("ministry_verifier"), user_of("ministry_verifier"))
    for name in ("rekap-evaluasi.csv", "rekap-evaluasi.xlsx"):
        assert all(any(s in texts[name] for s in spellings(v)) for v in CANARIES.values()), name
    assert all(any(s in texts["lembar-nilai.pdf"] for s in spellings(v)) for v in CANARIES.values())


def _notify_every_kind(user_of: Any) -> None:
    """Each action of the notification registry, recorded for Palembang's objects as its service records it (the
    audit record is what notifies), an export made ready, and the reminders and digests of a later morning."""
    import datetime as dt

    from django.core.management import call_command

    from kla.core import audit
    from kla.evaluations.models import Entry
    from kla.notifications.models import Delivery, Kind, Preference
    from kla.reports.models import Export
    from kla.reports.services import build, grant_keys

    evaluation = Evaluation.objects.select_related("cycle").get(cycle__code="evaluasi-kla-demo", region_id="16.71")
    entry = Entry.objects.get(evaluation=evaluation, indicator__number=4)
    province, admin = user_of("province"), user_of("ministry_admin")
    for persona in ("secretariat", "province"):  # some people take everything as a digest
        for kind in Kind:
            Preference.objects.update_or_create(
                user=user_of(persona), kind=kind, defaults={"delivery": Delivery.DIGEST}
            )
    agencies = list(entry.assignments.values_list("agency_id", flat=True))
    audit.record(action="kla.entry.assigned", by=None, obj=entry, before={"agencies": []}, after={"agencies": agencies})
    deadline = timezone.now() + dt.timedelta(days=3)
    Entry.objects.filter(pk=entry.pk).update(
        return_reason="Lengkapi SK.", return_deadline=deadline, returned_at=timezone.now(), returned_by=province
    )
    audit.record(action="kla.entry.returned", by=province, obj=entry, reason="Lengkapi SK.")
    audit.record(action="kla.entry.resubmitted", by=user_of("secretariat"), obj=entry)
    audit.record(action="kla.evaluation.submitted", by=None, obj=evaluation, after={"em_score": "888.88"})
    audit.record(action="kla.cycle.opened", by=admin, obj=evaluation.cycle)
    audit.record(
        action="kla.cycle.deadline_extended",
        by=admin,
        obj=evaluation.cycle,
        after={"stage": "self_assessment", "ends_at": deadline.isoformat(), "regions": ["16.71"]},
        reason="Banjir.",
    )
    audit.record(
        action="kla.cycle.publish_requested", by=admin, obj=evaluation.cycle, after={"release_at": deadline.isoformat()}
    )
    build(
        Export.objects.create(
            kind="rekap-evaluasi",
            cycle_code="evaluasi-kla-demo",
            format="csv",
            grants=grant_keys(province),
            requested_by=province,
        ).pk
    )
    morning = (timezone.now() + dt.timedelta(days=1)).replace(hour=1, minute=0)  # 08.00 WIB tomorrow
    call_command("send_reminders", "--now", morning.isoformat())


DIGEST_SUBJECT = {"id": "Ringkasan notifikasi", "en": "KLA Platform notification digest"}
RETURNED_TITLE = {"id": "Indikator dikembalikan", "en": "Indicators returned"}


@pytest.mark.parametrize("language", ["id", "en"])
def test_no_sealed_score_reaches_a_notification_an_outgoing_email_or_a_digest(
    sealed: dict[str, str],
    user_of: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
    settings: Any,
    tmp_path: Any,
    language: str,
) -> None:
    """The notifications table, every outgoing email row (sent, queued, digests) and every email sent, after each
    kind of notification was written for Palembang while its scores are sealed; everyone reading Indonesian, then
    everyone reading English (each text is written in its reader's language)."""
    from kla.accounts.models import User
    from kla.notifications.models import Notification, OutgoingEmail

    User.objects.update(language=language)
    settings.MEDIA_ROOT = tmp_path / "media"
    with django_capture_on_commit_callbacks(execute=True):
        _notify_every_kind(user_of)
    notifications = list(Notification.objects.all())
    outgoing = list(OutgoingEmail.objects.all())
    kinds = {n.kind for n in notifications}
    assert len(kinds) >= 7, kinds
    assert any(e.subject.startswith(DIGEST_SUBJECT[language]) for e in outgoing), "the canary must read a digest"
    assert any(n.title.startswith(RETURNED_TITLE[language]) for n in notifications), "written in the language"
    texts = [f"{n.title}\n{n.body}\n{n.url}" for n in notifications]
    texts += [f"{e.subject}\n{e.text}\n{e.html}" for e in outgoing]
    texts += [m.subject + m.body + "".join(str(a.content) for a in m.alternatives) for m in mailoutbox]
    forbidden = [s for v in [*CANARIES.values(), PROVINCE_OWN, "888.88"] for s in spellings(v)]
    assert [(t[:80], s) for t in texts for s in forbidden if s in t] == []


# --- open data and the public portal (issue 23): the files are the public's, whoever downloads them ------------

OPEN_DATA_FORMATS = ("csv", "xlsx", "json")


def _open_data_texts(client: Client) -> dict[str, str]:
    """Every open-data file that answers (the demo cycle's and all years'), XLSX as its unzipped XML."""
    import zipfile
    from io import BytesIO

    texts = {}
    for fmt in OPEN_DATA_FORMATS:
        for url in (
            reverse("results:open_data", kwargs={"cycle_code": "evaluasi-kla-demo", "fmt": fmt}),
            reverse("results:open_data_all", kwargs={"fmt": fmt}),
        ):
            response = client.get(url)
            if response.status_code != 200:
                continue
            content = b"".join(response.streaming_content) if response.streaming else response.content
            if fmt == "xlsx":
                with zipfile.ZipFile(BytesIO(content)) as z:
                    content = b"".join(z.read(name) for name in z.namelist())
            texts[url] = content.decode(errors="replace")
    return texts


def _public_pages(client: Client) -> dict[str, str]:
    cycle = reverse("results:public_cycle", kwargs={"cycle_code": "evaluasi-kla-demo"})
    urls = [
        cycle,
        cycle + "?provinsi=16",
        reverse("results:public_region", kwargs={"code": "16.71"}),
        reverse("results:public_region", kwargs={"code": "16"}),
        reverse("results:data_dictionary"),
        reverse("results:public_index"),
    ]
    return {url: client.get(url).content.decode(errors="replace") for url in urls}


@pytest.mark.parametrize("persona", [*BELOW_MINISTRY, "ministry_admin"])
def test_no_sealed_score_reaches_the_open_data_files(sealed: dict[str, str], client_for: Any, persona: str) -> None:
    """Before the release the cycle's files do not exist and the all-years files hold no row of it; after it
    (the cycle publishes no detailed scores) they hold Palembang's predicate and no score at all, for anybody."""
    from kla.results.tests.test_views import publish

    forbidden = [s for v in [*CANARIES.values(), PROVINCE_OWN, "888.88"] for s in spellings(v)]
    client = client_for(persona)
    before = _open_data_texts(client)
    assert len(before) == 3 and all("Palembang" not in text for text in before.values())
    publish(Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.71").cycle)
    after = _open_data_texts(client)
    assert len(after) == 6 and all("Madya" in text for text in after.values())  # the control: the predicate is there
    assert [(url, s) for url, text in {**before, **after}.items() for s in forbidden if s in text] == []


@pytest.mark.parametrize("persona", ["anonymous", "no_role", "other_secretariat"])
def test_no_sealed_score_reaches_the_public_portal_pages(sealed: dict[str, str], client_for: Any, persona: str) -> None:
    """The public pages of the released cycle (the maps, the region pages, the dictionary) show predicates only."""
    from kla.results.tests.test_views import publish

    publish(Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.71").cycle)
    pages = _public_pages(client_for(persona))
    assert all("Madya" in pages[url] for url in list(pages)[1:4])  # the control (the national page counts)
    forbidden = [s for v in [*CANARIES.values(), PROVINCE_OWN, "888.88"] for s in spellings(v)]
    assert [(url, s) for url, text in pages.items() for s in forbidden if s in text] == []


DASHBOARDS = [
    "/dasbor/kabkota/16.71/?cycle=evaluasi-kla-demo",
    "/dasbor/provinsi/16/?cycle=evaluasi-kla-demo",
    "/dasbor/nasional/?cycle=evaluasi-kla-demo",
    "/api/v1/dashboards/kabkota/16.71?cycle=evaluasi-kla-demo",
    "/api/v1/dashboards/provinsi/16?cycle=evaluasi-kla-demo",
    "/api/v1/dashboards/nasional/id?cycle=evaluasi-kla-demo",
]


def _dashboards(client: Client) -> dict[str, str]:
    """Every dashboard and its API answer the client may read, pages also as the htmx partial of the filter."""
    out = {}
    for url in DASHBOARDS:
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(url, headers=headers)
            if response.status_code == 200:
                out[f"{url} {headers}"] = response.content.decode(errors="replace")
    return out


@pytest.mark.parametrize("persona", ["secretariat", "province"])
def test_no_sealed_score_reaches_the_dashboards(sealed: dict[str, str], client_for: Any, persona: str) -> None:
    """The dashboards' tables, chart data and API figures (issue 23): the kab/kota its EM, the province also its
    own administrative verification, nobody the ministry's stages, the field visit or the final score."""
    pages = _dashboards(client_for(persona))
    assert len(pages) == (8 if persona == "province" else 4)  # kab/kota: its page and API (each also by htmx)
    forbidden = [s for v in CANARIES.values() for s in spellings(v)]
    if persona != "province":
        forbidden += spellings(PROVINCE_OWN)
    assert [(url, s) for url, text in pages.items() for s in forbidden if s in text] == []
    assert any(s in text for text in pages.values() for s in spellings("888.88"))  # the control: the EM shows


def test_the_ministry_sees_the_sealed_scores_on_the_dashboards(sealed: dict[str, str], client_for: Any) -> None:
    pages = _dashboards(client_for("ministry_verifier"))
    assert len(pages) == 12
    national = pages["/dasbor/nasional/?cycle=evaluasi-kla-demo {}"]
    assert any(s in national for s in spellings(CANARIES["final"]))


@pytest.mark.parametrize(("persona", "readable"), [("anonymous", 0), ("secretariat", 4), ("province", 8)])
def test_the_dashboard_figures_kept_for_the_ministry_reach_nobody_below_it(
    sealed: dict[str, str], client_for: Any, persona: str, readable: int
) -> None:
    """The figures and HTML the dashboards keep in the cache (kla.dashboards.kept) are keyed by the viewer's grants:
    warmed by the ministry (the control: its national page shows the final score), then read by each persona below
    it from the same cache, never cleared in between."""
    from django.core.cache import cache

    cache.clear()
    ministry = _dashboards(client_for("ministry_verifier"))
    assert any(s in ministry["/dasbor/nasional/?cycle=evaluasi-kla-demo {}"] for s in spellings(CANARIES["final"]))
    pages = _dashboards(client_for(persona))
    assert len(pages) == readable
    forbidden = [s for v in CANARIES.values() for s in spellings(v)]
    if persona != "province":
        forbidden += spellings(PROVINCE_OWN)
    assert [(url, s) for url, text in pages.items() for s in forbidden if s in text] == []


# --- the stuck-items board and the escalation texts (issue 22 item 5) ------------------------------------------------


@pytest.mark.parametrize("language", ["id", "en"])
def test_no_sealed_score_reaches_the_stuck_board_nor_an_escalation(
    sealed: dict[str, str],
    client_for: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
    language: str,
) -> None:
    """Palembang, its scores sealed, back in the ministry's review for a month with an indicator returned and late:
    the province's board, the escalations `send_reminders` writes and the board's reminder carry no sealed score
    (nor the EM score), for readers of either language."""
    import datetime as dt

    from django.core.management import call_command

    from kla.accounts.models import User
    from kla.evaluations.models import Entry
    from kla.notifications.models import Kind, Notification

    User.objects.update(language=language)
    now = timezone.now()
    evaluation = Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.71")
    Evaluation.objects.filter(pk=evaluation.pk).update(
        status=Evaluation.Status.MINISTRY_REVIEW, status_changed_at=now - dt.timedelta(days=30)
    )
    entry = Entry.objects.get(evaluation=evaluation, indicator__number=4)
    Entry.objects.filter(pk=entry.pk).update(
        status=Entry.Status.RETURNED,
        return_reason="Lengkapi SK.",
        returned_at=now - dt.timedelta(days=10),
        return_deadline=now - dt.timedelta(days=3),
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--now", now.isoformat())
        board = client_for("province").get("/notifikasi/tertahan/").content.decode()
        client_for("province").post(reverse("notifications:stuck_remind", args=["dikembalikan", entry.pk]))
        client_for("ministry_admin").post(reverse("notifications:stuck_remind", args=["diusulkan", evaluation.pk]))
    notes = list(Notification.objects.filter(kind__in=[Kind.ESCALATED, Kind.NUDGED]))
    assert {n.kind for n in notes} == {Kind.ESCALATED, Kind.NUDGED}
    assert any(n.title.startswith({"id": "Eskalasi", "en": "Escalation"}[language]) for n in notes)
    assert f"stuck-dikembalikan-{entry.pk}" in board  # the control: the board lists Palembang's work
    texts = [board] + [f"{n.title}\n{n.body}\n{n.url}" for n in notes]
    texts += [m.subject + m.body + "".join(str(a.content) for a in m.alternatives) for m in mailoutbox]
    forbidden = [s for v in [*CANARIES.values(), "888.88"] for s in spellings(v)]
    assert [(t[:80], s) for t in texts for s in forbidden if s in t] == []


# --- the choropleth's GeoJSON (issue 23 item 2): the public's map, whoever reads it ----------------------------------


def _map_texts(client: Client) -> dict[str, tuple[int, str]]:
    urls = [
        reverse("results:map_geojson", kwargs={"cycle_code": "evaluasi-kla-demo"}),
        reverse("results:map_province_geojson", kwargs={"cycle_code": "evaluasi-kla-demo", "code": "16"}),
    ]
    return {url: ((r := client.get(url)).status_code, r.content.decode(errors="replace")) for url in urls}


@pytest.mark.parametrize("persona", [*BELOW_MINISTRY, "ministry_admin"])
def test_no_sealed_score_reaches_the_choropleth(
    sealed: dict[str, str], client_for: Any, persona: str, tmp_path: Any
) -> None:
    """With boundaries imported: before the release the maps do not exist (not even for the ministry); after it (the
    cycle publishes no detailed scores) they hold Palembang's predicate and counts, and no score, for anybody."""
    from io import StringIO

    from django.core.cache import cache
    from django.core.management import call_command

    from kla.regions.tests import synthetic
    from kla.results.tests.test_views import publish

    for level in ("provinsi", "kabkota"):
        path = tmp_path / f"batas-{level}.geojson"
        path.write_bytes(synthetic.dumps(synthetic.from_database(level)))
        call_command("import_boundaries", str(path), "--level", level, stdout=StringIO())
    client = client_for(persona)
    assert {status for status, _text in _map_texts(client).values()} == {404}
    publish(Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.71").cycle)
    cache.clear()
    after = _map_texts(client)
    assert {status for status, _text in after.values()} == {200}
    national, province = (text for _status, text in after.values())
    assert "1 dari 17 kabupaten/kota berpredikat" in national and "Kota Palembang: Madya" in province  # the control
    forbidden = [s for v in [*CANARIES.values(), PROVINCE_OWN, "888.88"] for s in spellings(v)]
    assert [(url, s) for url, (_status, text) in after.items() for s in forbidden if s in text] == []


# --- the dashboards' choropleth GeoJSON (issue 23 item 2): the dashboard's tile map, through the same seal ----------


def test_no_sealed_predicate_reaches_the_dashboard_maps(sealed: dict[str, str], client_for: Any, tmp_path: Any) -> None:
    """With boundaries imported and Palembang determined but not published: the ministry's province map names its
    predicate (the control), the province's does not, and no score is in either."""
    from io import StringIO

    from django.core.management import call_command

    from kla.regions.tests import synthetic

    for level in ("provinsi", "kabkota"):
        path = tmp_path / f"batas-{level}.geojson"
        path.write_bytes(synthetic.dumps(synthetic.from_database(level)))
        call_command("import_boundaries", str(path), "--level", level, stdout=StringIO())
    url = "/dasbor/provinsi/16/peta.geojson?cycle=evaluasi-kla-demo"
    ministry = client_for("ministry_verifier").get(url).content.decode()
    assert "Kota Palembang: Madya" in ministry
    response = client_for("province").get(url)
    assert response.status_code == 200 and '"code": "16.71"' in response.content.decode()
    text = response.content.decode()
    forbidden = ["Madya", *(s for v in [*CANARIES.values(), "888.88"] for s in spellings(v))]
    assert [s for s in forbidden if s in text] == []
