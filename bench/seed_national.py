"""Load the national data set (bench/national_data) into the database of the current settings:

    python -m bench.seed_national [--seed N] [--provinces 16,31] [--force]

with the environment `manage.py` reads (DATABASE_URL, MEDIA_ROOT, DEBUG...). A benchmark and test tool, not a command
of the product: `manage.py` does not know it. It refuses when `DEBUG=0` unless `--force` (every national account
shares a published password). Used by `make bench-national`, `make bench-capacity`, `make loadtest` and `make drill`.
"""

from __future__ import annotations

import os
import sys

PROG = "-m bench.seed_national"


def main(argv: list[str] | None = None) -> None:
    """Set Django up with the project's settings, then run the command as `manage.py` would (exit 1 on an error)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from bench.national_data.command import Command

    Command().run_from_argv([sys.executable, PROG, *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
