"""The multi_* checks of bench/results.json, from the result of `run.py --layout multi` (bench/loadtest/multi.py)."""

from __future__ import annotations

from typing import Any

from bench import load_model
from bench.upload import Check


def checks(result: dict[str, Any], server_down_s: int) -> list[Check]:
    """The multi_* checks of bench/results.json."""
    out = []
    p = result["phases"].get("1x") or {}
    if p:
        page_goal, up_goal = load_model.PEAK_PAGES_PER_S, round(load_model.PEAK_UPLOADS_PER_S, 2)
        out += [
            Check(
                "multi_1x_page_rate",
                p["page_rps"],
                page_goal,
                round(p["page_rps"] / page_goal, 2),
                "≥ 0.9 of the model",
                "req/s",
                p["page_rps"] >= 0.9 * page_goal,
            ),
            Check(
                "multi_1x_upload_rate",
                p["upload_rps"],
                up_goal,
                round(p["upload_rps"] / up_goal, 2),
                "≥ 0.9 of the model",
                "uploads/s",
                p["upload_rps"] >= 0.9 * up_goal,
            ),
            Check(
                "multi_1x_page_p95",
                p["page_p95_ms_worst"] or 0,
                result["idle"]["p95"],
                round((p["page_p95_ms_worst"] or 0) / result["idle"]["p95"], 1),
                "< 800 ms",
                "ms",
                (p["page_p95_ms_worst"] or 0) < 800,
            ),
            Check("multi_1x_errors", p["failures"], 0, 0, "0", "requests", p["failures"] == 0),
        ]
    f = result.get("faults") or {}
    fp = result["phases"].get("faults") or {}
    if f:
        req = f.get("requests") or {}
        allowed = req.get("held_refused", 0) - req.get("refused_idempotent", 0)
        # the same error seen from both sides (locust's failures, nginx's 5xx lines) is counted once
        beyond = max(
            fp.get("failures", 0) - allowed, req.get("other_5xx", 1) + req.get("refused_idempotent", 0)
        ) + f.get("probe_errors", 1)
        out += [
            Check(
                "multi_fault_errors_beyond_killed_server",
                beyond,
                allowed,
                0,
                "0 (only POSTs the killed server held)",
                "requests",
                beyond == 0,
            ),
            Check(
                "multi_fault_task_worker_killed_mid_letter",
                int(bool(f.get("task_worker_killed_mid_task"))),
                1,
                1.0,
                "killed while rendering",
                "workers",
                bool(f.get("task_worker_killed_mid_task")),
            ),
            Check(
                "multi_fault_tasks_left_running",
                f.get("tasks_running_at_end", -1),
                0,
                0,
                "0 (recovered or failed visibly)",
                "tasks",
                f.get("tasks_running_at_end") == 0
                and (f.get("letters") or {}).get("letters", {}).get("pending", 0) == 0
                and bool(f.get("letters")),
            ),
            Check(
                "multi_fault_app_server_back",
                f.get("app_server_back_s") or 0,
                server_down_s,
                0,
                "answers again without action",
                "s",
                f.get("app_server_back_s") is not None,
            ),
        ]
    integ = result.get("integrity") or {}
    if integ:
        lost = integ["uploads_lost"] + integ["uploads_wrong"]
        out += [
            Check(
                "multi_uploads_lost",
                lost,
                integ["uploads_acknowledged"],
                0,
                "0 (object in the bucket, right SHA-256)",
                "uploads",
                lost == 0 and integ["evidence_rows_without_file"] == 0,
            ),
            Check(
                "multi_answers_lost",
                integ["answers_lost"],
                integ["answers_acknowledged"],
                0,
                "0",
                "answers",
                integ["answers_lost"] == 0,
            ),
        ]
    return out
