"""Messages of pure modules in the reader's language (`kla.core.marking.Text` and marked strings).

A pure module writes Indonesian; a service running in a request, a view or a template says it again with `say()`,
through gettext, with numbers and dates in the reader's format. Indonesian output is the pure module's own text.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from html import escape

from django.utils.translation import get_language, gettext

from kla.core.marking import Text, loads


def say(message: str) -> str:
    """`message` in the active language: a `Text` rebuilt through gettext, a marked string looked up as it is."""
    if not message:
        return message
    if isinstance(message, Text):
        return message.render(gettext, get_language() or "id")
    return gettext(message)


def say_stored(stored: str) -> str:
    """A message kept in a row (`kla.core.marking.dumps`: a marked string or a `Text` as JSON) in the active
    language; text stored before (in the language of that moment) is shown as it is."""
    return say(loads(stored)) if stored else stored


def for_reader(value: Callable[[str], str]) -> str:
    """A value written per language (`lambda lang: …`, e.g. `roles.role_label`) in the active language."""
    return value(get_language() or "id")


def escaped_words(words: tuple[str, ...]) -> dict[str, str]:
    """Each msgid of `words` in the active language, HTML-escaped, for rows built in Python: translated once per
    process and language (a page of 50 rows asks gettext once per word, not once per row)."""
    return _escaped(words, get_language() or "")


@functools.lru_cache(maxsize=64)
def _escaped(words: tuple[str, ...], language: str) -> dict[str, str]:
    del language  # the key: gettext reads the active language
    return {word: escape(gettext(word)) for word in words}
