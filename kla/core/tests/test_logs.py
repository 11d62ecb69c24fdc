"""Every log line names its time, level and logger; LOG_FORMAT=json writes one JSON object per line."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kla.core.logs import JsonFormatter, TextFormatter

ROOT = Path(__file__).resolve().parents[3]
EMIT = (
    "import logging, django; django.setup(); "
    "logging.getLogger('kla.storage').error('disk penuh: %s', 'evidence/16.71/a.pdf', extra={'errno': 28}); "
    "logging.getLogger('kla.availability').warning('database unavailable')"
)


def _record(level: int = logging.ERROR, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("kla.storage", level, __file__, 1, "disk penuh: %s", ("a.pdf",), None)
    record.__dict__.update(extra)
    return record


def _run(**env: str) -> list[str]:
    environ = {k: v for k, v in os.environ.items() if k not in {"LOG_FORMAT", "LOG_LEVEL", "DEBUG"}}
    environ.update(DJANGO_SETTINGS_MODULE="config.settings", **env)
    done = subprocess.run(
        [sys.executable, "-c", EMIT], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120, check=True
    )
    return done.stderr.strip().splitlines()


def test_a_text_line_has_time_level_logger_and_message() -> None:
    line = TextFormatter().format(_record())
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}[+-]\d{4} ERROR kla\.storage disk penuh: a\.pdf", line)


def test_a_json_line_is_one_object_with_extras_and_the_traceback() -> None:
    try:
        raise OSError(28, "No space left on device")
    except OSError:
        record = _record(errno=28)
        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "ERROR" and entry["logger"] == "kla.storage" and entry["message"] == "disk penuh: a.pdf"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", entry["time"])
    assert entry["errno"] == 28 and "No space left on device" in entry["exception"]


def test_the_settings_wire_the_text_format_by_default() -> None:
    lines = _run()
    assert re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}[+-]\d{4} ERROR kla\.storage disk penuh: evidence", lines[0])
    assert " WARNING kla.availability database unavailable" in lines[1]


def test_log_format_json_gives_one_object_per_line() -> None:
    entries = [json.loads(line) for line in _run(LOG_FORMAT="json")]
    assert [(e["level"], e["logger"]) for e in entries] == [("ERROR", "kla.storage"), ("WARNING", "kla.availability")]
    assert entries[0]["errno"] == 28


def test_log_level_filters_and_an_unknown_format_is_refused() -> None:
    lines = _run(LOG_LEVEL="ERROR")
    assert len(lines) == 1 and " ERROR kla.storage " in lines[0]
    with pytest.raises(subprocess.CalledProcessError) as refused:
        _run(LOG_FORMAT="jsonl")
    assert "LOG_FORMAT='jsonl'" in refused.value.stderr


def test_pdf_font_subsetting_chatter_stays_out_of_the_log() -> None:
    """WeasyPrint's fontTools logs every glyph table it subsets at INFO; a letter PDF must not flood the log."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "LOG_LEVEL": "INFO"}
    code = (
        "import logging, django; django.setup(); "
        "logging.getLogger('fontTools.subset').info('maxp pruned'); "
        "logging.getLogger('fontTools.subset').warning('font has no glyphs'); "
        "logging.getLogger('kla.reports').info('export ready')"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert "maxp pruned" not in out.stderr
    assert "WARNING fontTools.subset font has no glyphs" in out.stderr
    assert "INFO kla.reports export ready" in out.stderr
