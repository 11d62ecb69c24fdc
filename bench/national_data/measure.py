"""What the command prints after a run: rows per model and the size of the database."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.db import connection


def table_counts() -> dict[str, int]:
    """Rows per model of every installed app (label → count): what the idempotency check compares."""
    return {m._meta.label: m._default_manager.count() for m in apps.get_models(include_auto_created=True)}


def database_size() -> int | None:
    """Bytes used by the database: the SQLite file (with its WAL) or `pg_database_size`; None if unknown."""
    if connection.vendor == "sqlite":
        name = Path(str(connection.settings_dict["NAME"]))
        if not name.exists():
            return None
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the write-ahead log back into the database file
        wal = name.with_name(name.name + "-wal")
        return name.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            row = cursor.fetchone()
        return int(row[0]) if row else None
    return None
