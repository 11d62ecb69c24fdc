"""Sign-in events go to the audit log too (who signed in, who failed, from where), and start the session clocks."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from kla.accounts import security
from kla.core import audit


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        security.session_started(request.session)  # timeout clocks start; the second step is due again
    audit.record(action="kla.auth.login", by=user, obj=user, ip=audit.client_ip(request))


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(action="kla.auth.logout", by=user, obj=user, ip=audit.client_ip(request))


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # The password is never recorded; only the name that was tried.
    audit.record(
        action="kla.auth.login_failed",
        by=None,
        object_type="accounts.user",
        object_label=str(credentials.get("username", ""))[:150],
        ip=audit.client_ip(request),
    )
