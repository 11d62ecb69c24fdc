"""The language switch of the header (and of *Akun saya*): Django's `set_language` (the cookie), and for a signed-in
user their choice saved on their row, so that their notifications and emails are written in it and signing in on
another computer applies it (`apply_saved_language`)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from kla.accounts.models import Language, User


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    response = django_set_language(request)
    chosen = request.POST.get("language", "")
    user = request.user
    if isinstance(user, User) and user.is_authenticated and chosen in Language.values and user.language != chosen:
        user.language = chosen
        User.objects.filter(pk=user.pk).update(language=chosen)
    return response


def apply_saved_language(response: HttpResponse, user: User) -> HttpResponse:
    """Signing in: the user's saved language becomes the interface's (the cookie the middleware reads)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        user.language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
