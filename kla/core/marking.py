"""Marks text of pure modules for translation without importing Django. Pure module: no Django import.

`makemessages` collects every `gettext_noop("…")` into the catalogue; the Indonesian stays the value, and the code
that shows it (a view, a template tag, a model property) passes it through Django's `gettext` in the reader's language.
"""

from __future__ import annotations


def gettext_noop(message: str) -> str:
    """The message itself, marked for the translation catalogue."""
    return message
