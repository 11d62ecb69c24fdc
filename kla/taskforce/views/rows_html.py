"""The repeated rows of the task-force pages (members, meetings, follow-ups, the province's kab/kota) as HTML built
once in Python: the same markup the templates printed, without a template loop of tags, filters and `{% url %}` per
row (on the task-force page those loops cost more than the rest of the page). Every text is escaped here; a link is
reversed once with a mark that each row's id replaces.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from html import escape

from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from kla.agencies.models import Agency
from kla.core.formatting import format_date_short, format_datetime, format_size
from kla.core.templatetags.formats import language, zone
from kla.taskforce.models import Attendance, Document, FollowUp, Meeting, Member
from kla.taskforce.selectors import MeetingRow, MemberLine

MARK = "999999999"  # reversed once; each row's id or code takes its place


def link(name: str) -> Callable[[object], str]:
    """The path of route `name` for an id or code, reversed once (the id already escaped for an attribute)."""
    path = escape(reverse(name, args=[MARK]))
    return lambda key: path.replace(MARK, escape(str(key)))


def csrf_input(token: str) -> str:
    """What `{% csrf_token %}` prints."""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'


def lines(text: str) -> str:
    """`text|linebreaksbr`: escaped, each line break a <br>."""
    if not text:
        return ""
    return escape(text.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")


def _safe(parts: Iterable[str]) -> SafeString:
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped pieces


def member_rows(members: list[MemberLine], *, can_manage: bool, csrf_token: str) -> SafeString:
    """The members table's rows: role, name, position, agency, duties, term, and the form ending a serving
    member's term for whoever manages the task force."""
    end_url, now = link("taskforce:member_end"), escape(gettext("sekarang"))
    if can_manage:
        csrf = csrf_input(csrf_token)
        label, button = escape(gettext("Tanggal selesai")), escape(gettext("Akhiri"))
    if not members:
        text = escape(gettext("Tidak ada anggota yang bertugas pada tanggal ini."))
        return _safe(f'  <tr><td colspan="7" class="muted">{text}</td></tr>\n')
    lang, out = language(), []
    roles = {value: escape(str(label)) for value, label in Member._meta.get_field("role").flatchoices}
    for m in members:
        end = escape(format_date_short(m.end, lang=lang)) if m.end else now
        out.append(
            f"  <tr><td>{roles.get(m.role) or escape(m.role)}</td><td>{escape(m.person_name)}</td>"
            f"<td>{escape(m.position)}</td><td>{escape(m.agency)}</td><td>{lines(m.duties)}</td>\n"
            f"    <td>{escape(format_date_short(m.start, lang=lang))} – {end}</td>\n"
        )
        if can_manage:
            form = ""
            if m.end is None:
                form = (
                    f'<form method="post" action="{end_url(m.pk)}" class="actions">{csrf}\n'
                    f'      <label class="visually-hidden" for="end-{m.pk}">{label}</label>'
                    f'<input id="end-{m.pk}" type="date" name="end" required>\n'
                    f'      <button type="submit" class="small secondary">{button}</button></form>'
                )
            out.append(f"    <td>{form}</td>")
        out.append("</tr>\n")
    return _safe(out)


def meeting_rows(meetings: list[MeetingRow]) -> SafeString:
    """The meetings list's rows: when, title (a link), status, agencies present, follow-ups."""
    if not meetings:
        text = escape(gettext("Belum ada rapat koordinasi."))
        return _safe(f'  <tr><td colspan="5" class="muted">{text}</td></tr>\n')
    url, labels = link("taskforce:meeting"), {value: escape(str(label)) for value, label in Meeting.Status.choices}
    lang, where, out = language(), zone(), []
    for m in meetings:
        badge = "badge" if m.status == Meeting.Status.HELD else "badge gray"
        status = labels.get(m.status) or escape(m.status)
        out.append(
            f"  <tr><td>{escape(format_datetime(m.starts_at, where, lang=lang))}</td>"
            f'<td><a href="{url(m.pk)}">{escape(m.title)}</a></td>\n'
            f'    <td><span class="{badge}">{status}</span></td>\n'
            f"    <td>{escape(localize(m.attended))}</td><td>{escape(localize(m.follow_up_count))}</td></tr>\n"
        )
    return _safe(out)


def follow_up_table(
    follow_ups: list[FollowUp], *, today: dt.date, show_meeting: bool, can_complete: bool, back: str, csrf_token: str
) -> SafeString:
    """The follow-ups table (`#follow-up-rows`, what htmx swaps): description (and its meeting), owner, due date,
    status, and the form recording one done for whoever may complete it."""
    texts = (gettext("Tindak lanjut"), gettext("Penanggung jawab"), gettext("Batas waktu"), gettext("Status"))
    head = "".join(f"<th>{escape(text)}</th>" for text in texts)
    out = [
        '<div class="table-wrap" id="follow-up-rows"><table class="table">\n'
        f"  <thead><tr>{head}</tr></thead>\n  <tbody>\n"
    ]
    if follow_ups:
        out.extend(_follow_up_rows(follow_ups, today, show_meeting, can_complete, back, csrf_token))
    else:
        none = gettext("Tidak ada tindak lanjut.")
        out.append(f'  <tr><td colspan="4" class="muted">{escape(none)}</td></tr>\n')
    out.append("  </tbody>\n</table></div>\n")
    return _safe(out)


def _follow_up_rows(
    follow_ups: list[FollowUp], today: dt.date, show_meeting: bool, can_complete: bool, back: str, csrf_token: str
) -> Iterable[str]:
    meeting_url, complete_url = link("taskforce:meeting"), link("taskforce:follow_up_complete")
    lang = language()
    done = f'<span class="badge">{escape(gettext("Selesai"))}</span> '
    late = f'<span class="badge warn">{escape(gettext("Lewat batas waktu"))}</span>\n      '
    waiting = f'<span class="badge gray">{escape(gettext("Belum selesai"))}</span>'
    if can_complete:
        form_text = {
            "summary": escape(gettext("Catat selesai")),
            "note": escape(gettext("Catatan penyelesaian")),
            "file": escape(gettext("Bukti (opsional)")),
            "save": escape(gettext("Simpan")),
        }
        hidden = f"{csrf_input(csrf_token)}\n          " + f'<input type="hidden" name="back" value="{escape(back)}">'
    for f in follow_ups:
        meeting = ""
        if show_meeting:
            meeting = f'<br><a class="muted" href="{meeting_url(f.meeting_id)}">{escape(f.meeting.title)}</a>'
        if f.is_done:
            status = f"{done}{escape(f.completion_note)}\n      "
        elif f.due_date < today:
            status = late
        else:
            status = waiting
        form = ""
        if not f.is_done and can_complete:
            form = (
                f"\n      <details><summary>{form_text['summary']}</summary>\n"
                f'        <form method="post" enctype="multipart/form-data" action="{complete_url(f.pk)}">{hidden}\n'
                f'          <label for="note-{f.pk}">{form_text["note"]}</label>'
                f'<textarea id="note-{f.pk}" name="note" rows="2" required></textarea>\n'
                f'          <label for="file-{f.pk}">{form_text["file"]}</label>'
                f'<input id="file-{f.pk}" type="file" name="file">\n'
                f'          <button type="submit" class="small">{form_text["save"]}</button></form></details>\n      '
            )
        yield (
            f'  <tr id="tl-{f.pk}"><td>{lines(f.description)}{meeting}</td>\n'
            f"    <td>{escape(f.owner.short_name)}</td><td>{escape(format_date_short(f.due_date, lang=lang))}</td>\n"
            f"    <td>{status}\n      {form}</td></tr>\n"
        )


def kabkota_links(kabkota: list[tuple[str, str]]) -> SafeString:
    """The list items linking each kab/kota's task force."""
    url = link("taskforce:region")
    return _safe(f'<li><a href="{url(code)}">{escape(name)}</a></li>' for code, name in kabkota)


def attendance_items(attendance: list[Attendance]) -> SafeString:
    """A held meeting's agencies present, each with who came."""
    return _safe(
        f"<li>{escape(a.agency.short_name)}{': ' + escape(a.attendees) if a.attendees else ''}</li>" for a in attendance
    )


def invited_items(invited: list[Agency]) -> SafeString:
    """A planned meeting's invited agencies."""
    return _safe(f"<li>{escape(a.short_name)}</li>" for a in invited)


def document_items(documents: list[Document]) -> SafeString:
    """A meeting's minutes files: the download link, size and when each was uploaded."""
    url, lang, where = link("taskforce:document"), language(), zone()
    return _safe(
        f'<li><a href="{url(d.pk)}">{escape(d.name)}</a> ({escape(format_size(int(d.size), lang=lang))}, '
        f"{escape(format_datetime(d.uploaded_at, where, lang=lang))})</li>"
        for d in documents
    )
