"""The language switch of the header (and of *Akun saya*): Django's `set_language` (the cookie), and for a signed-in
user their choice saved on their row, so that their notifications and emails are written in it and signing in on
another computer applies it (`apply_saved_language`).

A language picked before signing in (on the sign-in page) is remembered in that visitor's own session, which a
sign-out flushes: the person who then signs in made that choice, so it becomes their saved language. A choice left
in the cookie by an earlier person on a shared computer is not in the new visitor's session and never overrides a
saved language."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from kla.accounts.models import Language, User

CHOSEN_KEY = "language_chosen"  # in an anonymous visitor's session: the language they picked before signing in


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    response = django_set_language(request)
    chosen = request.POST.get("language", "")
    user = request.user
    if chosen not in Language.values:
        return response
    if isinstance(user, User) and user.is_authenticated:
        if user.language != chosen:
            user.language = chosen
            User.objects.filter(pk=user.pk).update(language=chosen)
    else:
        request.session[CHOSEN_KEY] = chosen
    return response


def apply_saved_language(request: HttpRequest, response: HttpResponse, user: User) -> HttpResponse:
    """Signing in: the language this visitor picked on the sign-in page, else the user's saved one, becomes the
    interface's (the cookie the middleware reads); a language picked here is saved on the user's row."""
    chosen = request.session.pop(CHOSEN_KEY, None)
    if chosen in Language.values and chosen != user.language:
        user.language = chosen
        User.objects.filter(pk=user.pk).update(language=chosen)
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
