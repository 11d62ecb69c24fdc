"""The counters behind the verifiers' duplicate check follow the evidence rows: uploads in two kab/kota, a replacement,
a deletion and its restore, a carry-forward and a withdrawal, bulk loads (recount), and simultaneous uploads
(PostgreSQL). After every step they equal a count made from scratch, and `duplicates_elsewhere` gives what the
former query over every evidence row gave."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection, connections
from django.db.models import Count
from django.utils import timezone

from kla.evaluations.models import Entry, Evaluation
from kla.evidence import services
from kla.evidence.holdings import holdings_recount
from kla.evidence.models import Evidence, FileHolding, SharedFile
from kla.evidence.selectors import duplicates_elsewhere
from kla.evidence.tests import files
from kla.evidence.tests.stored import demo_entry, upload

PALEMBANG, LUBUK = "16.71", "16.73"


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CLAMD_ADDRESS = None
    return settings.MEDIA_ROOT


def _counted_from_rows() -> tuple[dict[tuple[str, str], int], dict[str, int]]:
    held = {
        (sha, region): n
        for sha, region, n in Evidence.objects.filter(status=Evidence.Status.ACTIVE)
        .values_list("original_sha256", "entry__evaluation__region_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    return held, dict(Counter(sha for sha, _region in held))


def _stored() -> tuple[dict[tuple[str, str], int], dict[str, int]]:
    held = {(h.original_sha256, h.region_id): h.active for h in FileHolding.objects.filter(active__gt=0)}
    return held, {s.original_sha256: s.regions for s in SharedFile.objects.filter(regions__gt=0)}


def _former_duplicates(entry: Entry, names_up_to: int) -> dict[int, list[str]]:
    """The duplicate check as it was before the counters: straight over every evidence row sharing a file."""
    own = list(Evidence.objects.filter(entry=entry).exclude(status="replaced").values_list("pk", "original_sha256"))
    elsewhere = Evidence.objects.filter(original_sha256__in={sha for _pk, sha in own}, status="active").exclude(
        entry__evaluation__region_id=entry.evaluation.region_id
    )
    counts = dict(
        elsewhere.values("original_sha256")
        .annotate(n=Count("entry__evaluation__region", distinct=True))
        .values_list("original_sha256", "n")
    )
    names: dict[str, set[str]] = defaultdict(set)
    for sha, name in elsewhere.values_list("original_sha256", "entry__evaluation__region__name"):
        names[sha].add(name)
    result = {}
    for pk, sha in own:
        if counts.get(sha, 0) and counts[sha] <= names_up_to:
            result[pk] = sorted(names[sha])
        elif counts.get(sha):
            result[pk] = [f"{counts[sha]} kabupaten/kota lain"]
    return result


def _check(*entries: Entry) -> None:
    assert _stored() == _counted_from_rows()
    for entry in entries:
        for names_up_to in (0, 1, 10):
            assert duplicates_elsewhere(entry, names_up_to=names_up_to) == _former_duplicates(entry, names_up_to)


def _next_cycle_evaluation(region: str, framework: object) -> Evaluation:
    from kla.evaluations.services import cycle_create, cycle_open
    from kla.evaluations.stages import STAGE_ORDER

    now = timezone.now()
    cycle = cycle_create(
        code="berikutnya",
        name="Evaluasi berikutnya",
        year=now.year + 1,
        framework=framework,
        deadlines={s: (now - dt.timedelta(days=1), now + dt.timedelta(days=30)) for s in STAGE_ORDER},
        by=None,
    )
    cycle_open(cycle=cycle, region_codes=[region], by=None)
    return Evaluation.objects.get(cycle=cycle, region_id=region)


@pytest.mark.django_db
def test_counters_follow_uploads_replacement_deletion_restore_and_carry_forward() -> None:
    palembang, lubuk = demo_entry(PALEMBANG), demo_entry(LUBUK)
    perda, laporan = files.pdf(text="perda bersama"), files.pdf(text="laporan lubuk")

    first = upload(palembang, "perda.pdf", perda)
    _check(palembang)
    assert duplicates_elsewhere(palembang) == {}

    theirs = upload(lubuk, "perda-kami.pdf", perda)
    _check(palembang, lubuk)
    assert duplicates_elsewhere(palembang) == {first.pk: ["Kota Lubuk Linggau"]}
    assert duplicates_elsewhere(lubuk) == {theirs.pk: ["Kota Palembang"]}
    assert SharedFile.objects.get(original_sha256=first.original_sha256).regions == 2

    second = upload(palembang, "perda-lagi.pdf", perda)  # a second copy in the same kab/kota
    _check(palembang, lubuk)
    assert FileHolding.objects.get(original_sha256=first.original_sha256, region_id=PALEMBANG).active == 2
    assert SharedFile.objects.get(original_sha256=first.original_sha256).regions == 2

    upload(lubuk, "laporan.pdf", laporan, replaces=theirs)  # Lubuk Linggau no longer holds the regulation
    _check(palembang, lubuk)
    assert duplicates_elsewhere(palembang) == {}
    assert SharedFile.objects.get(original_sha256=first.original_sha256).regions == 1

    services.evidence_delete(evidence=Evidence.objects.get(pk=second.pk), by=None)
    _check(palembang, lubuk)
    assert FileHolding.objects.get(original_sha256=first.original_sha256, region_id=PALEMBANG).active == 1
    with pytest.raises(Exception, match="aktif"):  # deleting twice changes nothing, counters included
        services.evidence_delete(evidence=Evidence.objects.get(pk=second.pk), by=None)
    _check(palembang, lubuk)

    services.evidence_restore(evidence=Evidence.objects.get(pk=second.pk), by=None)
    _check(palembang, lubuk)

    again = upload(lubuk, "perda-lagi.pdf", perda)
    _check(palembang, lubuk)
    new_eval = _next_cycle_evaluation(PALEMBANG, palembang.evaluation.cycle.framework)
    assert services.evidence_carry_forward(evaluation=new_eval, by=None) == 2
    carried = list(Evidence.objects.filter(entry__evaluation=new_eval).select_related("entry__evaluation"))
    next_entry = carried[0].entry
    _check(palembang, lubuk, next_entry)
    assert FileHolding.objects.get(original_sha256=first.original_sha256, region_id=PALEMBANG).active == 4
    assert duplicates_elsewhere(next_entry) == {c.pk: ["Kota Lubuk Linggau"] for c in carried}

    services.evidence_confirm(evidence=carried[0], decision="withdrawn", by=None)
    _check(palembang, lubuk, next_entry)
    services.evidence_delete(evidence=Evidence.objects.get(pk=again.pk), by=None)
    _check(palembang, lubuk, next_entry)
    assert duplicates_elsewhere(next_entry) == {}
    assert FileHolding.objects.get(original_sha256=first.original_sha256, region_id=LUBUK).active == 0


@pytest.mark.django_db
def test_recount_fills_and_repairs_the_counters_of_rows_loaded_in_bulk() -> None:
    palembang, lubuk = demo_entry(PALEMBANG), demo_entry(LUBUK)
    own = upload(palembang, "perda.pdf", files.pdf(text="perda"))
    copies = []
    for entry in (lubuk, lubuk):  # as the national seed does: rows inserted without the services
        copy = Evidence.objects.get(pk=own.pk)
        copy.pk, copy.entry = None, entry
        copies.append(copy)
    Evidence.objects.bulk_create(copies)
    assert _stored() != _counted_from_rows()
    # a counter that was never filled is not taken below zero, nor does it touch the file's spread
    services.evidence_delete(evidence=Evidence.objects.get(pk=copies[1].pk), by=None)
    assert SharedFile.objects.get(original_sha256=own.original_sha256).regions == 1
    holdings_recount(regions=[LUBUK])
    _check(palembang, lubuk)
    assert duplicates_elsewhere(palembang) == {own.pk: ["Kota Lubuk Linggau"]}

    Evidence.objects.filter(entry=lubuk).update(status=Evidence.Status.DELETED)  # behind the services' back
    holdings_recount(regions=[LUBUK])
    _check(palembang, lubuk)
    assert SharedFile.objects.get(original_sha256=own.original_sha256).regions == 1


@pytest.mark.django_db
def test_the_national_seed_fills_the_counters() -> None:
    from bench.national_data import seed_national

    seed_national(provinces=["75"])  # Gorontalo: 6 kab/kota, two cycles
    assert _stored() == _counted_from_rows()
    entry = (
        Entry.objects.filter(evaluation__region__parent_id="75", evidence__status="active")
        .select_related("evaluation")
        .first()
    )
    assert entry is not None
    for names_up_to in (0, 3, 10):
        assert duplicates_elsewhere(entry, names_up_to=names_up_to) == _former_duplicates(entry, names_up_to)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions: PostgreSQL")
def test_simultaneous_uploads_of_the_same_file_in_two_regions_lose_no_count() -> None:
    from kla.demo.services import demo_seed

    demo_seed()  # transactional tests start from an empty database
    entries = [demo_entry(PALEMBANG), demo_entry(LUBUK)] * 4
    data = files.pdf(text="peraturan nasional")
    barrier = threading.Barrier(len(entries))

    def upload_at_once(i: int) -> int:
        try:
            barrier.wait()
            return upload(entries[i], f"perpres-{i}.pdf", data).pk
        finally:
            connections.close_all()

    for burst in range(2):  # the first creates the counter rows (insert races), the second adds to them
        with ThreadPoolExecutor(max_workers=len(entries)) as pool:
            created = list(pool.map(upload_at_once, range(len(entries))))
        assert len(set(created)) == 8
        sha = Evidence.objects.get(pk=created[0]).original_sha256
        assert _stored() == _counted_from_rows()
        held = {h.region_id: h.active for h in FileHolding.objects.filter(original_sha256=sha)}
        assert held == {PALEMBANG: 4 * (burst + 1), LUBUK: 4 * (burst + 1)}
        assert SharedFile.objects.get(original_sha256=sha).regions == 2
