"""Sign-in events go to the audit log too (who signed in, who failed, from where), and start the session clocks;
a reload of the regions makes the password validator read the region names again."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from kla.accounts import security
from kla.accounts.models import User
from kla.accounts.passwords import forget_context_words
from kla.core import audit
from kla.regions.signals import regions_loaded


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        security.session_started(request.session)  # timeout clocks start; the second step is due again
    audit.record(action="kla.auth.login", by=user, obj=user, ip=audit.client_ip(request))


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit.record(action="kla.auth.logout", by=user, obj=user, ip=audit.client_ip(request))


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    # The password is never recorded; only the name that was tried.
    audit.record(
        action="kla.auth.login_failed",
        by=None,
        object_type="accounts.user",
        object_label=str(credentials.get("username", ""))[:150],
        ip=audit.client_ip(request),
    )


@receiver(regions_loaded)
def _regions_loaded(sender: Any, **kwargs: Any) -> None:
    forget_context_words()  # the password validator reads the (new) region names on its next use
