"""The load test's and the benchmarks' own tools that decide what a run reports (no stack needed)."""

import json
from pathlib import Path

from bench.loadtest.run import nginx_errors
from bench.upload import Check, merge_results

LOG = [
    "2026/11/29 08:01:02 [warn] 12#12: *45 a client request body is buffered to a temporary file /w/body/0000000012,"
    ' client: 127.0.0.1, server: , request: "POST /x HTTP/1.1", host: "127.0.0.1:4443"',
    "2026/11/29 08:01:05 [warn] 12#12: *46 a client request body is buffered to a temporary file /w/body/0000000013,"
    ' client: 127.0.0.1, server: , request: "POST /x HTTP/1.1", host: "127.0.0.1:4443"',
    "2026/11/29 08:02:00 [error] 12#12: *47 client timed out (110: Connection timed out) while reading client request"
    " body, client: 127.0.0.1",
    "2026/11/29 08:03:00 [alert] 12#12: 2048 worker_connections are not enough",
    "a line that is not nginx's",
]


def test_nginx_errors_groups_messages_whatever_their_numbers():
    summary = nginx_errors(LOG)
    assert summary["levels"] == {"warn": 2, "error": 1, "alert": 1}
    first = summary["kinds"][0]
    assert first["kind"] == "[warn] a client request body is buffered to a temporary file /w/body/N"
    assert (first["count"], first["first"], first["last"]) == (2, "2026/11/29 08:01:02", "2026/11/29 08:01:05")
    kinds = [k["kind"] for k in summary["kinds"]]
    assert "[error] client timed out (N: Connection timed out) while reading client request body" in kinds
    assert "[alert] N worker_connections are not enough" in kinds


def test_nginx_errors_keeps_only_the_most_frequent_kinds():
    lines = [f"2026/11/29 08:00:00 [error] 1#1: *{i} kind {chr(97 + i % 20)} failed" for i in range(100)]
    summary = nginx_errors(lines, top=5)
    assert len(summary["kinds"]) == 5
    assert summary["levels"] == {"error": 100}
    assert nginx_errors([]) == {"levels": {}, "kinds": []}


def _check(name: str, value: float) -> Check:
    return Check(name, value, 1.0, value, "<= 2", "s", value <= 2)


def test_each_benchmark_replaces_only_its_own_results(tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    merge_results(path, "national_", [_check("national_page", 3.5)], machine={"cpu_count": 2}, national={"seed_s": 45})
    merge_results(path, "load_", [_check("load_3x_page_rate", 0.85)], loadtest={"idle": {"p50": 12.7}})
    # `make bench` used to write the whole file anew, dropping the national and load test results
    merge_results(path, "upload_", [_check("upload_5mb_time_ratio", 5.1)], machine={"cpu_count": 2}, details={})
    merge_results(path, "national_", [_check("national_page", 2.9)], national={"seed_s": 44})
    data = json.loads(path.read_text())
    assert [(c["name"], c["value"]) for c in data["checks"]] == [
        ("load_3x_page_rate", 0.85),
        ("upload_5mb_time_ratio", 5.1),
        ("national_page", 2.9),
    ]
    assert data["national"] == {"seed_s": 44} and data["loadtest"] == {"idle": {"p50": 12.7}}
    assert data["details"] == {} and data["machine"] == {"cpu_count": 2}


def _phase(p95: float, failures: int = 0, rate: float = 1.0, factor: float = 3.0) -> dict[str, float]:
    return {"page_p95_ms_worst": p95, "failures": failures, "page_rps": rate * 35 * factor}


def test_a_multiple_holds_only_with_p95_under_800_no_failure_and_its_page_rate() -> None:
    from bench.loadtest import knee

    assert knee.held(_phase(799), 3.0, 35)
    assert not knee.held(_phase(800), 3.0, 35)
    assert not knee.held(_phase(300, failures=1), 3.0, 35)
    assert not knee.held(_phase(300, rate=0.94), 3.0, 35)
    assert not knee.held({"failures": 0, "page_rps": 200}, 3.0, 35)


def test_the_knee_search_goes_up_from_a_holding_3x_and_down_from_a_failing_one() -> None:
    from bench.loadtest import knee

    asked: list[float] = []

    def run(limit: float):  # a stack that holds up to `limit`× the model
        def phase(factor: float) -> dict[str, float]:
            asked.append(factor)
            return _phase(400 if factor <= limit else 2500, factor=factor)

        return phase

    up = knee.search(run(5.0), _phase(500), 35)
    assert (up["knee"], asked) == (5.0, [4.0, 5.0, 6.0])
    assert [k for k, v in up["phases"].items() if v["held"]] == ["3x", "4x", "5x"]
    asked.clear()
    down = knee.search(run(2.0), _phase(4900), 35)
    assert (down["knee"], asked) == (2.0, [2.5, 2.0])
    asked.clear()
    assert knee.search(run(0.5), _phase(4900), 35)["knee"] is None
    assert asked == [2.5, 2.0, 1.5, 1.0]
