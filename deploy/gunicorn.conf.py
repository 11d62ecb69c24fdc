"""gunicorn settings of the KLA platform: `gunicorn --config deploy/gunicorn.conf.py --bind 127.0.0.1:8001 config.wsgi`
(deploy/systemd/kla-web.service). `make loadtest` runs this file as it is; the figures of docs/benchmarks.md were
measured with it on a 2-core machine. More cores: about two workers per core (KLA_WEB_WORKERS).
"""

import os

# gthread: a slow response (a PDF, an evidence pack) holds one thread, not a whole process.
worker_class = "gthread"
workers = int(os.environ.get("KLA_WEB_WORKERS", "3"))
threads = 4
# A request may take this long (the largest exports); a worker silent for longer is killed and replaced.
timeout = 120
graceful_timeout = 20
# systemd signals the master (reload = HUP); no control socket in the service user's home.
control_socket_disable = True
# Every line through the platform's own formatters (kla.core.logs): time, level and logger on each, or one JSON
# object per line with LOG_FORMAT=json. The access log goes to stdout, gunicorn's own messages to stderr.
_formatter = "kla.core.logs.JsonFormatter" if os.environ.get("LOG_FORMAT") == "json" else "kla.core.logs.TextFormatter"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"kla": {"()": _formatter}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "kla", "stream": "ext://sys.stdout"},
        "error_console": {"class": "logging.StreamHandler", "formatter": "kla", "stream": "ext://sys.stderr"},
    },
    "root": {"level": "INFO", "handlers": ["error_console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
    },
}
