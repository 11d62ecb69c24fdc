"""The database session store (`SESSION_ENGINE = "kla.core.sessions"`), reading the session row through a query
compiled once per process (kla.core.compiled): every signed-in request reads its session, and compiling
`Session.objects.get(...)` cost more CPU than the round trip. Rows, cookies and writes are Django's own
(`django.contrib.sessions.backends.db`): sessions made by either engine are read by the other.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from kla.core.compiled import CompiledQuery

_BY_KEY: CompiledQuery[Session] = CompiledQuery(lambda key: Session.objects.filter(session_key=key), str)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        key = self.session_key
        if key:
            for row in _BY_KEY.fetch(key):
                if row.expire_date > timezone.now():
                    return row
        self._session_key = None
        return None
