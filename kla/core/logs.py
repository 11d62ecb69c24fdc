"""Log lines operators can search: time, level and logger on every line; one JSON object per line on request.

`LOG_FORMAT=text` (the default) writes ``2026-12-07 16:00:00,123+0700 ERROR kla.storage disk full …``;
`LOG_FORMAT=json` writes ``{"time": "2026-12-07T09:00:00.123Z", "level": "ERROR", "logger": "kla.storage",
"message": "disk full …"}`` for log shippers (journald, Loki, Elasticsearch), with the exception's traceback and any
``extra=`` fields as keys. Standard library only; wired in config/settings.py (LOGGING).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
TEXT_DATE_FORMAT = "%Y-%m-%d %H:%M:%S%z"

# Attributes every LogRecord has; anything else on a record came from `extra=` and is worth shipping.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}


class TextFormatter(logging.Formatter):
    """The plain line: local time with its offset and milliseconds, level, logger, message."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        moment = dt.datetime.fromtimestamp(record.created).astimezone()
        return moment.strftime("%Y-%m-%d %H:%M:%S") + f",{int(record.msecs):03d}" + moment.strftime("%z")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, and exception/stack/extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds")[:-6] + "Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry:
                entry[key] = value
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(*, log_format: str, level: str) -> dict[str, Any]:
    """The LOGGING setting: every logger to stderr through one formatter."""
    formatter = {"()": JsonFormatter} if log_format == "json" else {"()": TextFormatter}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"kla": formatter},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "kla"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            # WeasyPrint's font subsetting logs a line per glyph table at INFO; only its problems are worth a line.
            "fontTools": {"level": "WARNING"},
            "weasyprint": {"level": "WARNING"},
            # Django's own loggers have handlers of their own (mail_admins, a DEBUG-only console); send them
            # through ours instead so their lines carry time, level and logger too.
            "django": {"handlers": ["console"], "level": level, "propagate": False},
            "django.server": {"handlers": ["console"], "level": level, "propagate": False},
        },
    }
