"""The load test's own tools that decide what a run reports (no stack needed)."""

from bench.loadtest.run import nginx_errors

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
