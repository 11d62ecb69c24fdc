"""Loading an instrument (framework) file: validate everything first, then write it in one transaction."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import yaml
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kla.core import audit
from kla.core.formatting import format_date
from kla.indicators.framework_schema import FrameworkError, FrameworkSpec, parse_framework
from kla.indicators.models import Band, Cluster, Framework, FrameworkFile, Indicator, Question

if TYPE_CHECKING:
    from kla.accounts.models import User

MAX_FILE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class LoadResult:
    framework: Framework
    outcome: Literal["created", "replaced", "unchanged"]


def parse_framework_text(text: str) -> FrameworkSpec:
    """Parse YAML (or JSON, which YAML reads too) and validate it; FrameworkError names each problem."""
    if len(text.encode()) > MAX_FILE_BYTES:
        raise FrameworkError(
            [gettext("(berkas): terlalu besar (maksimum %(value)s MB)") % {"value": MAX_FILE_BYTES // 1024 // 1024}]
        )
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"baris {mark.line + 1}, kolom {mark.column + 1}" if mark is not None else "berkas"
        raise FrameworkError(
            [gettext("(berkas) %(where)s: YAML tidak sah: %(problem)s") % {"where": where, "problem": exc.problem}]
        ) from None
    except yaml.YAMLError as exc:
        raise FrameworkError([gettext("(berkas): YAML tidak sah: %(exc)s") % {"exc": exc}]) from None
    return parse_framework(data)


def _summary(fw: Framework) -> dict[str, Any]:
    return {
        "code": fw.code,
        "sha256": fw.file_sha256,
        "clusters": fw.clusters.count(),
        "indicators": fw.indicators.count(),
        "questions": Question.objects.filter(indicator__framework=fw).count(),
        "max_total": str(fw.max_total),
        "weights_status": fw.weights_status,
    }


@transaction.atomic
def framework_load(*, text: str, by: User | None, reason: str = "") -> LoadResult:
    """Load a framework file. Nothing is written unless the whole file is valid.

    The same code with identical content is a no-op; the same code with new content replaces the old version
    only while no evaluation cycle uses it (`locked_at` unset); a locked version is refused, so a new Juknis
    year must come as a new code.
    """
    spec = parse_framework_text(text)
    sha = hashlib.sha256(text.encode()).hexdigest()
    existing = Framework.objects.select_for_update().filter(code=spec.code).first()
    before: dict[str, Any] | None = None
    if existing is not None:
        if existing.file_sha256 == sha:
            return LoadResult(existing, "unchanged")
        if existing.locked_at is not None:
            raise FrameworkError(
                [
                    gettext(
                        "code: instrumen '%(code)s' sudah dipakai siklus evaluasi sejak %(localdate)s sehingga "
                        "tidak dapat diubah; muat perubahan sebagai versi baru dengan kode lain (mis. tahun Juknis "
                        "berikutnya)."
                    )
                    % {"code": spec.code, "localdate": format_date(timezone.localdate(existing.locked_at))}
                ]
            )
        before = _summary(existing)
        existing.clusters.all().delete()
        existing.bands.all().delete()
    fw = existing or Framework(code=spec.code)
    fw.year = spec.year
    fw.name, fw.name_en = spec.name, spec.name_en
    fw.level = spec.level.value
    fw.source = spec.source
    fw.weights_status = spec.weights.status.value
    fw.weights_note, fw.weights_note_en = spec.weights.note, spec.weights.note_en
    fw.max_total = spec.max_total
    fw.gate_min_exclusive = spec.gate.min_exclusive
    fw.province_rule = json.loads(spec.province_rule.model_dump_json()) if spec.province_rule else None
    fw.file_sha256 = sha
    fw.loaded_by = by if by is not None and by.is_authenticated else None
    fw.save()
    FrameworkFile.objects.update_or_create(framework=fw, defaults={"text": text})
    _write_children(fw, spec)
    after = _summary(fw)
    audit.record(
        action="kla.framework.replaced" if before else "kla.framework.loaded",
        by=by,
        obj=fw,
        before=before,
        after=after,
        reason=reason,
    )
    return LoadResult(fw, "replaced" if before else "created")


def _write_children(fw: Framework, spec: FrameworkSpec) -> None:
    Band.objects.bulk_create(
        Band(framework=fw, code=b.code, name=b.name, min_score=b.min, max_score=b.max, position=i)
        for i, b in enumerate(spec.bands)
    )
    clusters = Cluster.objects.bulk_create(
        Cluster(framework=fw, code=c.code, number=c.number, name=c.name, name_en=c.name_en, position=i)
        for i, c in enumerate(spec.clusters)
    )
    if clusters and clusters[0].pk is None:  # backends that do not return ids from bulk inserts
        clusters = list(fw.clusters.order_by("position"))
    indicator_rows: list[Indicator] = []
    position = 0
    for cluster, cspec in zip(clusters, spec.clusters, strict=True):
        for ispec in cspec.indicators:
            indicator_rows.append(
                Indicator(
                    framework=fw,
                    cluster=cluster,
                    number=ispec.number,
                    code=ispec.code,
                    name=ispec.name,
                    name_en=ispec.name_en,
                    short_name=ispec.short_name,
                    description=ispec.description,
                    description_en=ispec.description_en,
                    max_points=ispec.max_points,
                    agencies=list(ispec.agencies),
                    position=position,
                )
            )
            position += 1
    indicators = Indicator.objects.bulk_create(indicator_rows)
    if indicators and indicators[0].pk is None:
        indicators = list(fw.indicators.order_by("position"))
    questions: list[Question] = []
    for indicator, ispec in zip(indicators, spec.indicators, strict=True):
        for i, q in enumerate(ispec.questions):
            rubric = json.loads(
                q.model_dump_json(
                    include={
                        "unit",
                        "numerator_label",
                        "denominator_label",
                        "options",
                        "thresholds",
                        "evidence",
                        "records",
                    }
                )
            )
            questions.append(
                Question(
                    indicator=indicator,
                    code=q.code,
                    text=q.text,
                    text_en=q.text_en,
                    answer_type=q.type.value,
                    max_points=q.max_points,
                    guidance=q.guidance,
                    guidance_en=q.guidance_en,
                    spec=rubric,
                    position=i,
                )
            )
    Question.objects.bulk_create(questions, batch_size=500)


@transaction.atomic
def framework_lock(*, framework: Framework, by: User | None, reason: str) -> Framework:
    """Mark a framework as in use (called when a cycle binds it): from then on it cannot be replaced."""
    if framework.locked_at is None:
        framework.locked_at = timezone.now()
        framework.save(update_fields=["locked_at"])
        audit.record(action="kla.framework.locked", by=by, obj=framework, reason=reason)
    return framework
