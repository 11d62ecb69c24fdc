"""The audit log is append-only: the ORM refuses changes, and so does the database itself."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from kla.core import audit
from kla.core.models import AppendOnlyError, AuditEvent

pytestmark = pytest.mark.django_db


def test_record_captures_who_what_when_before_after_reason(user_of) -> None:
    admin = user_of("ministry_admin")
    target = user_of("opd")
    event = audit.record(
        action="kla.test.changed",
        by=admin,
        obj=target,
        region_code="16.71",
        before={"a": 1},
        after={"a": 2},
        reason="uji",
        ip="10.0.0.1",
    )
    event.refresh_from_db()
    assert (event.actor, event.actor_label, event.action) == (admin, "kemen-admin", "kla.test.changed")
    assert (event.object_type, event.object_id) == ("accounts.user", str(target.pk))
    assert event.before == {"a": 1} and event.after == {"a": 2} and event.reason == "uji" and event.at


def test_orm_refuses_update_and_delete() -> None:
    event = audit.record(action="kla.test.x", by=None)
    event.reason = "diubah"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="diubah")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_database_refuses_update_even_with_raw_sql() -> None:
    event = audit.record(action="kla.test.x", by=None)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET reason = 'diubah' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps DELETE for Django's test flush")
def test_postgresql_refuses_delete_with_raw_sql() -> None:
    event = audit.record(action="kla.test.x", by=None)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()
