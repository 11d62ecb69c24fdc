"""The knee of `make loadtest`: the largest multiple of the load model that still holds (page p95 under 800 ms on the
worst page, zero failed requests, the page rate at least 0.95 of what the multiple asks).

After the 3× phase the run goes on in short phases: upwards by one (4×, 5×, …) while a multiple holds, or downwards
(2.5×, 2×, 1.5×) when 3× itself did not; the knee is the largest multiple that held with every smaller multiple
tried holding too. The uploads follow the multiple; the slow API uploaders of the 3× phase do not run here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

P95_GOAL_MS = 800
RATE_SHARE = 0.95
UP = (4.0, 5.0, 6.0, 8.0)
DOWN = (2.5, 2.0, 1.5, 1.0)


def held(phase: dict[str, Any], factor: float, pages_per_s_1x: float) -> bool:
    """A phase holds its multiple: p95 of the worst page under the goal, no failure, the page rate it asked for."""
    p95 = phase.get("page_p95_ms_worst")
    return (
        p95 is not None
        and p95 < P95_GOAL_MS
        and phase.get("failures", 1) == 0
        and phase.get("page_rps", 0) >= RATE_SHARE * pages_per_s_1x * factor
    )


def knee(tried: dict[float, bool]) -> float | None:
    """The largest multiple that held with every smaller one tried holding too; None when even the smallest failed."""
    best = None
    for factor in sorted(tried):
        if not tried[factor]:
            break
        best = factor
    return best


def search(run: Callable[[float], dict[str, Any]], three_x: dict[str, Any], pages_per_s_1x: float) -> dict[str, Any]:
    """Runs phases through `run(factor)` from the 3× result on; returns every phase tried and the knee."""
    phases: dict[float, dict[str, Any]] = {3.0: three_x}
    tried = {3.0: held(three_x, 3.0, pages_per_s_1x)}
    for factor in UP if tried[3.0] else DOWN:
        phases[factor] = run(factor)
        tried[factor] = held(phases[factor], factor, pages_per_s_1x)
        if tried[factor] != tried[3.0]:  # the first multiple on the other side of the knee ends the search
            break
    return {
        "knee": knee(tried),
        "phases": {
            f"{factor:g}x": {
                "held": tried[factor],
                **{k: v for k, v in phase.items() if k != "per_request"},
            }
            for factor, phase in sorted(phases.items())
        },
    }
