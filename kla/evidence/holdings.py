"""Who holds which file: per kab/kota and file (original SHA-256) the number of active evidence rows, and per file
the number of kab/kota holding it. The verifiers' duplicate check (`selectors.duplicates_elsewhere`) reads these
counters instead of every evidence row that shares a file (a national regulation can be attached thousands of times).

The evidence services call `holdings_change` in the transaction that makes rows active or inactive; bulk loads that
insert rows directly (the national seed) call `holdings_recount` for the kab/kota they loaded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import IntegrityError, transaction
from django.db.models import Count, F

from kla.evidence.models import Evidence, FileHolding, SharedFile

Key = tuple[str, str]  # (original SHA-256, kab/kota code)


def holdings_change(changes: Mapping[Key, int]) -> None:
    """Add `n` active rows per (file, kab/kota) (negative: rows that stopped being active); call it inside the
    transaction that changes the evidence rows.

    Each counter moves by one `UPDATE ... SET active = active + n`, which PostgreSQL applies to the latest committed
    value under the row lock, so concurrent uploads lose no increment; the lock is held until commit, so reading the
    new value back tells whether the kab/kota just started or stopped holding the file. Keys are applied in sorted
    order so that two transactions take the counter rows' locks in the same order and cannot deadlock.
    """
    for (sha, region), n in sorted(changes.items()):
        if not n:
            continue
        after = _add_held(sha, region, n)
        if after is None:
            continue
        before = after - n
        if before <= 0 < after:
            _add_spread(sha, 1)
        elif after <= 0 < before:
            _add_spread(sha, -1)


def _add_or_create(model: type[FileHolding | SharedFile], lookup: dict[str, str], field: str, n: int) -> bool:
    """`field += n` on the row of `lookup`, creating it with `n` when missing. False when there was nothing to take
    from (a negative `n` on a missing row: counters out of step with the rows, which `holdings_recount` repairs)."""
    rows = model.objects.filter(**lookup)
    if rows.update(**{field: F(field) + n}):
        return True
    if n < 0:
        return False
    try:
        with transaction.atomic():  # a savepoint: a concurrent first upload of the same key may win the insert
            model.objects.create(**lookup, **{field: n})
    except IntegrityError:  # it did, and has committed (PostgreSQL made this insert wait for it): add to its row
        rows.update(**{field: F(field) + n})
    return True


def _add_held(sha: str, region: str, n: int) -> int | None:
    """The kab/kota's new count of active rows holding the file (None: there was no count to take from)."""
    lookup = {"original_sha256": sha, "region_id": region}
    if not _add_or_create(FileHolding, lookup, "active", n):
        return None
    return FileHolding.objects.filter(**lookup).values_list("active", flat=True).get()


def _add_spread(sha: str, n: int) -> None:
    _add_or_create(SharedFile, {"original_sha256": sha}, "regions", n)


def changes_of(rows: Iterable[Evidence], region: str, sign: int = 1) -> dict[Key, int]:
    """The counter changes for evidence rows of one kab/kota that became active (sign 1) or stopped being (-1)."""
    out: dict[Key, int] = {}
    for evidence in rows:
        key = (evidence.original_sha256, region)
        out[key] = out.get(key, 0) + sign
    return out


@transaction.atomic
def holdings_recount(*, regions: Iterable[str]) -> None:
    """Count again, from the evidence rows, the holdings of these kab/kota and the spread of every file they hold or
    held. For bulk loads that insert evidence rows without the services (the national seed) and for repairs; not
    meant to run while those kab/kota upload."""
    codes = sorted(set(regions))
    if not codes:
        return
    FileHolding.objects.filter(region_id__in=codes).update(active=0)
    counted = (
        Evidence.objects.filter(status=Evidence.Status.ACTIVE, entry__evaluation__region_id__in=codes)
        .values_list("original_sha256", "entry__evaluation__region_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    FileHolding.objects.bulk_create(
        [FileHolding(original_sha256=sha, region_id=region, active=n) for sha, region, n in counted],
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["original_sha256", "region"],
        update_fields=["active"],
    )
    touched = FileHolding.objects.filter(region_id__in=codes).values_list("original_sha256", flat=True).distinct()
    spread = dict(
        FileHolding.objects.filter(original_sha256__in=touched, active__gt=0)
        .values_list("original_sha256")
        .annotate(n=Count("id"))
        .values_list("original_sha256", "n")
        .order_by()
    )
    SharedFile.objects.bulk_create(
        [SharedFile(original_sha256=sha, regions=spread.get(sha, 0)) for sha in set(touched)],
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["original_sha256"],
        update_fields=["regions"],
    )
