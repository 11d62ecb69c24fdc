"""Marks text of pure modules for translation without importing Django. Pure module: no Django import.

`makemessages` collects every `gettext_noop("…")` into the catalogue; the Indonesian stays the value, and the code
that shows it (a view, a template tag, a model property) passes it through Django's `gettext` in the reader's language.

A sentence with values in it is a `Text`: `Text(gettext_noop("Langkah \"%(step)s\" ..."), step=...)`. It is the
Indonesian string (code and tests that read it as a string keep working), and it keeps its msgid and values so the
display layer (`kla.core.wording.say`) can say it again in the reader's language. A value is shown as it is, or is
itself a `Text` (said in the same language), or a function of the language code (a number, a date or a size in the
reader's format: `lambda lang: format_number(x, lang=lang)`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping


def gettext_noop(message: str) -> str:
    """The message itself, marked for the translation catalogue."""
    return message


Translate = Callable[[str], str]


def _same(message: str) -> str:
    return message


class Text(str):
    """An Indonesian sentence that can be said again in another language: its msgid and the values put into it."""

    template: str
    params: Mapping[str, object]

    def __new__(cls, template: str, /, **params: object) -> Text:
        self = super().__new__(cls, _fill(template, params, _same, "id"))
        self.template = template
        self.params = params
        return self

    def render(self, translate: Translate, lang: str) -> str:
        """The sentence through `translate` (e.g. Django's gettext), its values formatted for `lang`."""
        return _fill(translate(self.template), self.params, translate, lang) if self.template else ""

    def __reduce__(self) -> tuple[object, ...]:  # kept whole through pickling (caches, task arguments)
        return (_rebuild, (self.template, dict(self.params)))


def _rebuild(template: str, params: dict[str, object]) -> Text:
    return Text(template, **params)


def as_text(message: str) -> Text:
    """A `Text` as it is; a marked string (no values) as a `Text` said through the catalogue."""
    return message if isinstance(message, Text) else Text(message)


class _FirstLower(Text):
    def render(self, translate: Translate, lang: str) -> str:
        said = super().render(translate, lang)
        return said[:1].lower() + said[1:]


def first_lower(label: str) -> Text:
    """A marked label as it reads inside a sentence, its first letter in lower case in every language."""
    return _FirstLower("%(label)s", label=as_text(label))


def joined(*parts: str, sep: str = " ") -> Text:
    """Sentences one after the other (each a `Text` or a marked string), said again part by part."""
    kept = [p for p in parts if p]
    names = {f"p{i}": as_text(p) for i, p in enumerate(kept)}
    return Text(sep.join(f"%({name})s" for name in names), **names)


def dumps(message: str) -> str:
    """A message to keep in a row and say later in the reader's language (`kla.core.wording.say_stored`): a marked
    string as it is, a `Text` as JSON of its msgid and values (a value written per language is kept in Indonesian)."""
    if isinstance(message, Text) and message.params:
        return json.dumps(_encoded(message), ensure_ascii=False, separators=(",", ":"))
    return message.template if isinstance(message, Text) else message


def loads(stored: str) -> str:
    """What `dumps` kept: a `Text` again, or the marked string."""
    if stored.startswith('{"msgid":'):
        try:
            return _decoded(json.loads(stored))
        except (ValueError, KeyError, TypeError):
            return stored
    return stored


def _encoded(text: Text) -> dict[str, object]:
    params: dict[str, object] = {}
    for name, value in text.params.items():
        if isinstance(value, Text):
            params[name] = _encoded(value)
        elif callable(value):
            params[name] = value("id")
        else:
            params[name] = value if isinstance(value, int | float | str) else str(value)
    return {"msgid": text.template, "params": params}


def _decoded(data: Mapping[str, object]) -> Text:
    params = data["params"]
    assert isinstance(params, dict)
    values = {k: _decoded(v) if isinstance(v, dict) else v for k, v in params.items()}
    return Text(str(data["msgid"]), **values)


def _fill(template: str, params: Mapping[str, object], translate: Translate, lang: str) -> str:
    if not params:
        return template
    return template % {name: _value(value, translate, lang) for name, value in params.items()}


def _value(value: object, translate: Translate, lang: str) -> object:
    if isinstance(value, Text):
        return value.render(translate, lang)
    if callable(value):
        return value(lang)
    return value
