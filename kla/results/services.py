"""Writes of results: sealed publication (two administrators), predicate history import, targets."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext

from kla.accounts import access
from kla.accounts.models import User
from kla.accounts.roles import Action
from kla.core import audit
from kla.core.formatting import NumberInputError, parse_number
from kla.evaluations.models import Cycle, Evaluation
from kla.evaluations.seal import ScoreStage
from kla.indicators.models import Band, Framework
from kla.indicators.scoring import predicate_for
from kla.indicators.selectors import band_rules
from kla.regions.levels import Level
from kla.regions.models import Region
from kla.results.models import PredicateRecord, StageScore, Target
from kla.results.selectors.regions import can_set_target
from kla.results.settling import close_below_gate, counted, record_below_gate

IN_VERIFICATION = [
    Evaluation.Status.PROVINCE_REVIEW,
    Evaluation.Status.PROPOSED,
    Evaluation.Status.MINISTRY_REVIEW,
    Evaluation.Status.FIELD_VERIFICATION,
    Evaluation.Status.FINAL_VERIFICATION,
]


def _admin(by: User | None) -> None:
    if by is not None:
        access.require(by, Action.CYCLE_MANAGE, None, hide=False)


def publication_blockers(cycle: Cycle) -> list[str]:
    """Why the cycle cannot be published yet (Indonesian), empty when it can."""
    counts = dict(
        Evaluation.objects.filter(cycle=cycle, status__in=IN_VERIFICATION)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    problems = [
        gettext("%(n)s kabupaten/kota masih pada tahap %(label)s") % {"n": n, "label": Evaluation.Status(s).label}
        for s, n in sorted(counts.items())
    ]
    waiting = Evaluation.objects.filter(
        cycle=cycle, status=Evaluation.Status.SUBMITTED, em_score__gt=cycle.framework.gate_min_exclusive
    ).count()
    if waiting:
        problems.append(
            gettext("%(waiting)s kabupaten/kota lolos ambang batas evaluasi mandiri tetapi belum diverifikasi")
            % {"waiting": waiting}
        )
    if not Evaluation.objects.filter(cycle=cycle, status=Evaluation.Status.DETERMINED).exists():
        problems.append(gettext("belum ada kabupaten/kota yang ditetapkan"))
    return problems


@transaction.atomic
def publish_request(*, cycle: Cycle, release_at: dt.datetime, by: User | None, now: dt.datetime | None = None) -> Cycle:
    """First administrator: ask to publish the cycle's results at `release_at`. Nothing is visible yet."""
    now = now or timezone.now()
    _admin(by)
    cycle = Cycle.objects.select_for_update().select_related("framework").get(pk=cycle.pk)
    if cycle.published_at is not None:
        raise ValidationError(gettext("Hasil siklus ini sudah diumumkan."))
    problems = publication_blockers(cycle)
    if problems:
        raise ValidationError(gettext("Belum dapat diumumkan: ") + "; ".join(problems) + ".")
    cycle.release_at = release_at
    cycle.publish_requested_at, cycle.publish_requested_by = now, by
    cycle.save(update_fields=["release_at", "publish_requested_at", "publish_requested_by"])
    audit.record(action="kla.cycle.publish_requested", by=by, obj=cycle, after={"release_at": release_at.isoformat()})
    return cycle


@transaction.atomic
def publish_withdraw(*, cycle: Cycle, by: User | None) -> Cycle:
    _admin(by)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.published_at is not None:
        raise ValidationError(gettext("Hasil sudah dikonfirmasi; pengumuman tidak dapat ditarik dari sini."))
    if cycle.publish_requested_at is None:
        raise ValidationError(gettext("Tidak ada permintaan pengumuman yang menunggu."))
    cycle.release_at = cycle.publish_requested_at = cycle.publish_requested_by = None
    cycle.save(update_fields=["release_at", "publish_requested_at", "publish_requested_by"])
    audit.record(action="kla.cycle.publish_withdrawn", by=by, obj=cycle)
    return cycle


@transaction.atomic
def publish_confirm(*, cycle: Cycle, by: User | None, now: dt.datetime | None = None) -> int:
    """Second administrator: confirm. Determined evaluations become published and enter the predicate history.

    The results become visible at the release time (immediately if it has passed). Returns the number published.
    """
    now = now or timezone.now()
    _admin(by)
    cycle = Cycle.objects.select_for_update().select_related("framework").get(pk=cycle.pk)
    if cycle.published_at is not None:
        raise ValidationError(gettext("Hasil siklus ini sudah diumumkan."))
    if cycle.publish_requested_at is None or cycle.release_at is None:
        raise ValidationError(
            gettext("Belum ada permintaan pengumuman: administrator pertama harus memintanya terlebih dahulu.")
        )
    if by is not None and cycle.publish_requested_by_id == by.pk:
        raise PermissionDenied(
            gettext("Konfirmasi pengumuman harus dilakukan administrator lain, bukan yang meminta pengumuman.")
        )
    problems = publication_blockers(cycle)
    if problems:
        raise ValidationError(gettext("Belum dapat diumumkan: ") + "; ".join(problems) + ".")
    close_below_gate(cycle, by, now)
    record_below_gate(cycle)
    determined = list(Evaluation.objects.filter(cycle=cycle, status=Evaluation.Status.DETERMINED))
    finals = {s.evaluation_id: s for s in StageScore.objects.filter(evaluation__in=determined, stage=ScoreStage.FINAL)}
    bands = {b.code: b.name for b in cycle.framework.bands.all()}
    for evaluation in determined:
        final = finals[evaluation.pk]
        PredicateRecord.objects.update_or_create(
            region_id=evaluation.region_id,
            year=cycle.year,
            defaults={
                "band_code": final.band_code,
                "band_name": bands.get(final.band_code, ""),
                "score": final.total,
                "cycle": cycle,
                "source": PredicateRecord.Source.CYCLE,
            },
        )
    Evaluation.objects.filter(pk__in=[e.pk for e in determined]).update(
        status=Evaluation.Status.PUBLISHED, status_changed_at=now
    )
    cycle.published_at, cycle.published_by = now, by
    cycle.save(update_fields=["published_at", "published_by"])
    audit.record(
        action="kla.cycle.published",
        by=by,
        obj=cycle,
        after={"release_at": cycle.release_at.isoformat(), "evaluations": len(determined), **counted(cycle, now)},
    )
    return len(determined)


# --- stage scores ------------------------------------------------------------------------------------------------


def stage_score_record(
    *, evaluation: Evaluation, stage: ScoreStage, total: Decimal, breakdown: dict[str, Any], by: User | None
) -> StageScore:
    """Write (or rewrite) one stage's verified score with the predicate its total reaches in the cycle's framework.

    Verification computes the total and its breakdown and calls this inside the transaction of the workflow step
    that closes the stage; that step's audit event records the score.
    """
    band = predicate_for(total, band_rules(evaluation.cycle.framework_id))
    score, _ = StageScore.objects.update_or_create(
        evaluation=evaluation,
        stage=stage.value,
        defaults={
            "total": total,
            "band_code": band.code if band else "",
            "framework_code": evaluation.cycle.framework.code,
            "breakdown": breakdown,
            "computed_by": by,
        },
    )
    return score


# --- history -------------------------------------------------------------------------------------------------------


NO_PREDICATE = {"", "-", "tidak ada", "tanpa predikat"}
IMPORT_COLUMNS = {"kode_wilayah", "tahun", "predikat"}
MAX_ERRORS_SHOWN = 20


@dataclass(frozen=True)
class _Known:
    """What the rows of an import are checked against: the framework's bands by code and name (lower case), the
    kab/kota codes among the file's codes, and the (region, year) pairs that come from platform cycles."""

    bands: dict[str, Band]
    regions: set[str]
    from_cycles: set[tuple[str, int]]


@transaction.atomic
def predicates_import(*, text: str, framework: Framework, by: User | None) -> int:
    """Import past predicates from CSV (kode_wilayah,tahun,predikat[,nilai][,catatan]); all rows or none.

    Years that already come from a platform cycle are never overwritten by an import.
    """
    _admin(by)
    rows = _csv_rows(text)
    known = _known_for(rows, framework)
    parsed: list[dict[str, Any]] = []
    errors: list[str] = []
    for number, row in enumerate(rows, start=2):
        item, problems = _parse_row(number, row, known)
        errors += problems
        if item is not None:
            parsed.append(item)
    if errors:
        more = len(errors) - MAX_ERRORS_SHOWN
        raise ValidationError(
            errors[:MAX_ERRORS_SHOWN]
            + ([gettext("... dan %(more)s kesalahan lain.") % {"more": more}] if more > 0 else [])
        )
    for item in parsed:
        PredicateRecord.objects.update_or_create(
            region_id=item.pop("region_id"),
            year=item.pop("year"),
            defaults={**item, "source": PredicateRecord.Source.IMPORT, "cycle": None},
        )
    audit.record(
        action="kla.predicates.imported", by=by, object_type="results.predicaterecord", after={"rows": len(parsed)}
    )
    return len(parsed)


def _csv_rows(text: str) -> list[dict[str, str]]:
    """The file's rows by column name; refused without the required columns or without rows."""
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows or not set(rows[0]) >= IMPORT_COLUMNS:
        raise ValidationError(
            gettext("Berkas harus CSV dengan kolom %(join)s (opsional: nilai, catatan) dan isi.")
            % {"join": ", ".join(sorted(IMPORT_COLUMNS))}
        )
    return rows


def _known_for(rows: list[dict[str, str]], framework: Framework) -> _Known:
    """Two queries for the whole file: its kab/kota codes and their years recorded from platform cycles."""
    codes = {r["kode_wilayah"].strip() for r in rows}
    bands: dict[str, Band] = {}
    for band in framework.bands.all():
        bands[band.code.lower()] = band
        bands[band.name.lower()] = band
    regions = set(Region.objects.filter(code__in=codes, level=Level.KABKOTA).values_list("code", flat=True))
    from_cycles = set(
        PredicateRecord.objects.filter(region_id__in=codes, source=PredicateRecord.Source.CYCLE).values_list(
            "region_id", "year"
        )
    )
    return _Known(bands, regions, from_cycles)


def _parse_row(number: int, row: dict[str, str], known: _Known) -> tuple[dict[str, Any] | None, list[str]]:
    """One row as the fields of its predicate record, and what is wrong with it ("Baris n: ...")."""
    code = row["kode_wilayah"].strip()
    name = (row.get("predikat") or "").strip().lower()
    try:
        year = int(row["tahun"])
    except (TypeError, ValueError):
        return None, [
            gettext('Baris %(number)s: tahun "%(tahun)s" bukan angka.') % {"number": number, "tahun": row["tahun"]}
        ]
    errors: list[str] = []
    score: Decimal | None = None
    if (row.get("nilai") or "").strip():
        try:
            score = _score(row["nilai"])
        except ValueError as exc:
            errors.append(f"Baris {number}: {exc}")
    if code not in known.regions:
        errors.append(f"Baris {number}: '{code}' bukan kode kabupaten/kota.")
    elif (code, year) in known.from_cycles:
        errors.append(
            gettext("Baris %(number)s: predikat %(code)s tahun %(year)s sudah tercatat dari siklus di platform.")
            % {"number": number, "code": code, "year": year}
        )
    if name not in NO_PREDICATE and name not in known.bands:
        errors.append(
            gettext('Baris %(number)s: predikat "%(predikat)s" tidak dikenal.')
            % {"number": number, "predikat": row["predikat"]}
        )
    band = known.bands.get(name)
    item = {
        "region_id": code,
        "year": year,
        "band_code": band.code if band else "",
        "band_name": band.name if band else "",
        "score": score,
        "note": (row.get("catatan") or "").strip()[:300],
    }
    return item, errors


def _score(raw: str) -> Decimal:
    """A score as written in the file: the Indonesian way ("512,5", "1.234,5"), or with a dot that cannot be a
    thousands separator ("640.25", as other programs write it). ValueError with the message otherwise."""
    try:
        return parse_number(raw)
    except NumberInputError as exc:
        if exc.code == "ambiguous":
            raise ValueError(exc.message) from None
        if exc.code == "decimal_point":
            try:
                return Decimal(raw.strip())
            except InvalidOperation:
                pass
    raise ValueError(gettext('nilai "%(raw)s" bukan angka.') % {"raw": raw})


# --- targets -------------------------------------------------------------------------------------------------------


@transaction.atomic
def target_set(
    *, region: Region, band_code: str, framework: Framework, year: int | None = None, note: str = "", by: User | None
) -> Target:
    """The predicate a kab/kota aims for; set by its secretariat, its province or the ministry."""
    if by is not None and not can_set_target(by, region.code):
        access.require(by, Action.EVALUATION_VIEW, region.code)
        raise PermissionDenied(gettext("Target predikat ditetapkan oleh Sekretariat Gugus Tugas atau provinsi."))
    if region.level != Level.KABKOTA:
        raise ValidationError(gettext("Target predikat berlaku untuk kabupaten/kota."))
    if not framework.bands.filter(code=band_code).exists():
        raise ValidationError(
            gettext('Predikat "%(band_code)s" tidak dikenal pada instrumen %(code)s.')
            % {"band_code": band_code, "code": framework.code}
        )
    before = Target.objects.filter(region=region).values("band_code", "year").first()
    target, _ = Target.objects.update_or_create(
        region=region, defaults={"band_code": band_code, "year": year, "note": note.strip()[:300], "set_by": by}
    )
    audit.record(
        action="kla.target.set",
        by=by,
        obj=target,
        region_code=region.code,
        before=dict(before) if before else None,
        after={"band_code": band_code, "year": year},
    )
    return target
