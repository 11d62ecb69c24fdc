"""The members table of the task-force page as plain dicts with their text ready (role, name, position, agency,
duties, term), so the template prints one dict per member instead of looking attributes up on each object (a
template tries an index first and fails on an object) and formatting two dates through filters per row."""

from __future__ import annotations

from typing import TypedDict

from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import SafeString

from kla.core.templatetags.formats import short_date
from kla.taskforce.models import Member


class MemberRow(TypedDict):
    pk: int
    role: str
    name: str
    position: str
    agency: str
    duties: SafeString  # escaped, line breaks as <br>
    start: str
    end: str  # "" while serving
    serving: bool


def member_rows(members: list[Member]) -> list[MemberRow]:
    return [
        MemberRow(
            pk=m.pk,
            role=str(m.get_role_display()),
            name=m.person_name,
            position=m.position,
            agency=m.agency.short_name,
            duties=linebreaksbr(m.duties, autoescape=True),
            start=short_date(m.start),
            end=short_date(m.end) if m.end else "",
            serving=m.end is None,
        )
        for m in members
    ]
