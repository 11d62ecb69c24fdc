"""After the load: prove that nothing acknowledged was lost (run inside Django by run.py).

- every upload the server acknowledged (HTML form or API) exists once, linked to the entry and question it was sent
  to, with the client's SHA-256, and the stored file hashes to it;
- for every question, the stored answer equals the last autosave the server acknowledged (each question had one
  writer, so the last acknowledgement is the truth), or a later autosave whose response never arrived (a 5xx or a
  dropped connection while PostgreSQL restarted: the save may have committed, and the 503 page tells the operator to
  reload and check); those are counted apart as saved without acknowledgement;
- the deadline burst: every submission sent before the deadline is submitted with a timestamp at or before it, and
  none sent after it was accepted;
- evidence rows whose file is missing, and stored files under evidence/ (MEDIA_ROOT, or the S3 bucket with
  MEDIA_STORAGE=s3) that no row points to, are counted; every file is read back through the storage to hash it.

Prints one JSON object on the last line.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any


def _sha256(name: str) -> str | None:
    """The SHA-256 of the stored file `name` read back through the default storage (the disk or the S3 bucket),
    None when it is not there."""
    from django.core.files.storage import default_storage

    h = hashlib.sha256()
    try:
        with default_storage.open(name, "rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
    except (FileNotFoundError, OSError):
        return None
    return h.hexdigest()


def _stored_names(prefix: str) -> set[str]:
    """Every stored file under `prefix` (its name as a FileField holds it): the bucket's keys with MEDIA_STORAGE=s3,
    else the files under MEDIA_ROOT."""
    from django.conf import settings
    from django.core.files.storage import default_storage

    if getattr(settings, "MEDIA_STORAGE", "filesystem") == "s3":
        location = getattr(default_storage, "location", "")
        base = f"{location.rstrip('/')}/" if location else ""
        keys = (o.key for o in default_storage.bucket.objects.filter(Prefix=base + prefix))  # type: ignore[attr-defined]
        return {k[len(base) :] for k in keys}
    media = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(media)) for p in (media / prefix).rglob("*") if p.is_file()}


def _same(stored: Any, posted: dict[str, str]) -> bool:
    if "yes" in posted:
        return isinstance(stored, dict) and stored.get("yes") is (posted["yes"] == "1")
    try:
        return isinstance(stored, dict) and all(Decimal(str(stored.get(k))) == Decimal(v) for k, v in posted.items())
    except (InvalidOperation, TypeError):
        return False


def check(ack_dir: Path, burst_file: Path | None) -> dict[str, Any]:
    from kla.evaluations.models import Answer, Evaluation
    from kla.evidence.models import Evidence

    uploads: list[dict[str, Any]] = []
    answers: dict[tuple[int, int], dict[str, Any]] = {}
    # autosaves whose response never said yes (a 5xx or a dropped connection): the save may still have committed,
    # and the operator was told to reload and check; a stored value equal to one of these, sent after the last
    # acknowledged one, is the operator's latest input, not a lost answer (counted apart)
    unacknowledged: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for path in sorted(ack_dir.glob("acks-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if row["kind"] == "upload":
                uploads.append(row)
            elif row["kind"] == "answer":
                key = (row["entry"], row["question"])
                if key not in answers or answers[key]["t"] <= row["t"]:
                    answers[key] = row
            elif row["kind"] == "answer_unacknowledged":
                unacknowledged.setdefault((row["entry"], row["question"]), []).append(row)

    found = {
        e.original_name: e
        for e in Evidence.objects.filter(original_name__in=[u["name"] for u in uploads]).only(
            "id", "entry_id", "question_id", "original_name", "original_sha256", "sha256", "file"
        )
    }
    lost, wrong = [], []
    for u in uploads:
        e = found.get(u["name"])
        if e is None:
            lost.append(u["name"])
            continue
        if (
            e.entry_id != u["entry"]
            or e.question_id != u["question"]
            or e.original_sha256 != u["sha256"]
            or _sha256(e.file.name or "") != e.sha256
        ):
            wrong.append(u["name"])
    duplicates = len(uploads) - len({u["name"] for u in uploads})

    stored = {
        (a.entry_id, a.question_id): a.value
        for a in Answer.objects.filter(entry_id__in={k[0] for k in answers}).only("entry_id", "question_id", "value")
    }
    answers_lost, saved_unacknowledged = [], []
    for k, row in answers.items():
        if _same(stored.get(k), row["fields"]):
            continue
        later = [u for u in unacknowledged.get(k, []) if u["t"] >= row["t"]]
        if any(_same(stored.get(k), u["fields"]) for u in later):
            saved_unacknowledged.append(f"{k[0]}/{k[1]}")
        else:
            answers_lost.append(f"{k[0]}/{k[1]}")

    referenced = set(Evidence.objects.values_list("file", flat=True))
    on_disk = _stored_names("evidence/")
    missing_files = len(referenced - on_disk)
    orphan_files = len(on_disk - referenced)

    burst: dict[str, Any] = {}
    if burst_file is not None and burst_file.exists():
        b = json.loads(burst_file.read_text(encoding="utf-8"))
        deadline = b["deadline"]
        rows = {
            e.pk: e
            for e in Evaluation.objects.filter(pk__in=[r["evaluation"] for r in b["requests"]]).only(
                "id", "status", "submitted_at"
            )
        }
        before = [r for r in b["requests"] if r["sent"] < deadline - 1]  # sent a second or more before it
        after = [r for r in b["requests"] if r["sent"] > deadline + 1]
        accepted_before = [r for r in before if rows[r["evaluation"]].status != Evaluation.Status.DRAFT]
        accepted_after = [r for r in after if rows[r["evaluation"]].status != Evaluation.Status.DRAFT]
        late_stamps = [
            e.pk for e in rows.values() if e.submitted_at is not None and e.submitted_at.timestamp() > deadline
        ]
        burst = {
            "sent_before": len(before),
            "accepted_before": len(accepted_before),
            "sent_after": len(after),
            "accepted_after": len(accepted_after),
            "stamped_after_deadline": len(late_stamps),
            "last_accepted_margin_s": round(
                deadline - max((e.submitted_at.timestamp() for e in rows.values() if e.submitted_at), default=0), 2
            ),
        }
    return {
        "uploads_acknowledged": len(uploads),
        "uploads_lost": len(lost),
        "uploads_wrong": len(wrong),
        "uploads_acknowledged_twice": duplicates,
        "answers_acknowledged": len(answers),
        "answers_lost": len(answers_lost),
        "answers_saved_without_acknowledgement": len(saved_unacknowledged),
        "evidence_rows_without_file": missing_files,
        "files_without_row": orphan_files,
        "examples": {
            "lost": lost[:5],
            "wrong": wrong[:5],
            "answers": answers_lost[:5],
            "saved_without_acknowledgement": saved_unacknowledged[:5],
        },
        "deadline": burst,
    }


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    burst = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    print(json.dumps(check(Path(sys.argv[1]), burst)))


if __name__ == "__main__":
    main()
