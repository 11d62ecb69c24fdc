"""Background work of a cycle's re-score: a thin wrapper around `rescore_runs.run`."""

from __future__ import annotations

from typing import Any

from django.tasks import task

from kla.core import taskrecovery


@task()
def rescore_cycle(run_id: int) -> int:
    """Re-score one cycle (`RescoreRun` `run_id`); returns how many evaluations differ from their stored points."""
    from kla.evaluations import rescore_runs

    try:
        found = rescore_runs.run(run_id)
    except Exception:  # the ministry sees a failed run, not a progress bar forever; the task stays failed
        rescore_runs.fail(run_id, rescore_runs.FAILED)
        raise
    return found.differing


@taskrecovery.on_lost("kla.evaluations.rescore_tasks.rescore_cycle")
def _rescore_lost(args: list[Any], kwargs: dict[str, Any]) -> None:
    """The worker died on every attempt: the run shows as failed (and can be asked for again)."""
    from kla.evaluations import rescore_runs

    run_id = kwargs.get("run_id", args[0] if args else None)
    if run_id is not None:
        rescore_runs.fail(run_id, rescore_runs.LOST)
