"""Late work, told upwards: `escalate` (run by `send_reminders`) tells the next level up once per item past its
service level; `stuck_remind` is the board's one-click reminder to the party responsible (at most once per item per
day, audited). Neither text carries a score."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from kla.accounts.models import User
from kla.accounts.roles import Role
from kla.core import audit
from kla.evaluations.models import Assignment
from kla.notifications import selectors as who
from kla.notifications import wording
from kla.notifications.escalation_rules import ItemKind, Level
from kla.notifications.models import Kind, ReminderSent
from kla.notifications.services import Message, deliver
from kla.notifications.stuck import StuckItem, reminder_key, stuck_items, with_page_facts
from kla.regions.zones import zone_of

KIND_LABELS = {
    ItemKind.RETURNED: lambda: _("Dikembalikan, belum diperbaiki"),
    ItemKind.SUBMITTED: lambda: _("Dikirim, belum diverifikasi provinsi"),
    ItemKind.PROPOSED: lambda: _("Diusulkan, belum diverifikasi Kementerian"),
}


def escalate(now: dt.datetime) -> int:
    """Tell the next level up of every item past its service level, once per item (and per episode: an indicator
    returned again later is a new one). Returns the number of notifications written."""
    items = stuck_items(now)
    if not items:
        return 0
    keys = {f"escalated:{item.key}": item for item in items}
    done = set(ReminderSent.objects.filter(key__in=list(keys)).values_list("key", flat=True))
    pending = {key: item for key, item in keys.items() if key not in done}
    if not pending:
        return 0
    sent = 0
    with override("id"), transaction.atomic():
        for key, item in zip(pending, with_page_facts(pending.values(), now), strict=True):
            build = partial(_escalation_message, item, key)
            sent += deliver(people_at(item, item.verdict.next_up, escalation=True), build, now=now)
            ReminderSent.objects.get_or_create(key=key, defaults={"sent_at": now})
    return sent


def people_at(item: StuckItem, level: Level, *, escalation: bool = False) -> list[User]:
    """Who holds `level` for the item. The ministry answers through its verifiers; an escalation to the ministry
    goes to its administrators (above the verifiers)."""
    if level == Level.AGENCY:
        return who.operators_of(Assignment.objects.filter(entry_id=item.pk).values_list("agency_id", flat=True))
    if level == Level.SECRETARIAT:
        return who.secretariat_of([item.region_code])
    if level == Level.PROVINCE:
        return who.province_reviewers_of([item.province_code])
    return who.ministry_admins() if escalation else who.members(Role.MINISTRY_VERIFIER)


def responsible_name(item: StuckItem) -> str:
    level = item.verdict.responsible
    if level == Level.AGENCY:
        return ", ".join(item.agencies) or _("instansi yang ditugaskan")
    if level == Level.SECRETARIAT:
        return _("Sekretariat Gugus Tugas KLA %(region)s") % {"region": item.region_name}
    if level == Level.PROVINCE:
        return _("Verifikator Provinsi %(province)s") % {"province": item.province_name}
    return _("Verifikator Administrasi Kementerian")


def describe(item: StuckItem) -> str:
    """What waits and since when, in the kab/kota's zone; never a score."""
    values = {
        "label": item.label,
        "cycle": item.cycle_name,
        "region": item.region_name,
        "since": wording.at(item.since, zone_of(item.region_code)),
        "due": wording.at(item.verdict.due_at, zone_of(item.region_code)),
        "days": wording.count(item.verdict.age_days),
    }
    if item.kind == ItemKind.RETURNED:
        text = _(
            "Indikator %(label)s (%(region)s, %(cycle)s) dikembalikan pada %(since)s dan belum diperbaiki setelah "
            "%(days)s hari; batas layanannya %(due)s."
        )
    elif item.kind == ItemKind.SUBMITTED:
        text = _(
            "Evaluasi mandiri %(region)s (%(cycle)s) dikirim pada %(since)s dan belum diverifikasi provinsi setelah "
            "%(days)s hari; batas layanannya %(due)s."
        )
    else:
        text = _(
            "Evaluasi %(region)s (%(cycle)s) diusulkan ke Kementerian pada %(since)s dan belum diverifikasi setelah "
            "%(days)s hari; batas layanannya %(due)s."
        )
    return text % values


def _link(item: StuckItem, level: Level) -> str:
    if item.kind == ItemKind.RETURNED and level in (Level.AGENCY, Level.SECRETARIAT):
        return reverse("evaluations:entry_detail", args=[item.pk])
    return item.url


def _object_type(item: StuckItem) -> str:
    return "evaluations.entry" if item.kind == ItemKind.RETURNED else "evaluations.evaluation"


def _escalation_message(item: StuckItem, key: str) -> Message:
    body = "\n".join(
        [
            describe(item),
            _("Penanggung jawab: %(who)s.") % {"who": responsible_name(item)},
            _("Anda menerima pemberitahuan ini sebagai tingkat berikutnya; mohon tindak lanjuti."),
        ]
    )
    return Message(
        kind=Kind.ESCALATED,
        title=_("Eskalasi: pekerjaan tertahan %(days)s hari · %(region)s")
        % {"days": wording.count(item.verdict.age_days), "region": item.region_name},
        body=body,
        key=key,
        url=_link(item, item.verdict.next_up),
        object_type=_object_type(item),
        object_id=str(item.pk),
    )


@transaction.atomic
def stuck_remind(*, item: StuckItem, by: User, now: dt.datetime) -> int:
    """Remind the party responsible for a waiting item; at most once per item per day. Returns how many were told."""
    item = with_page_facts([item], now)[0]
    if item.reminded_today:
        raise ValidationError(
            _("Pengingat untuk pekerjaan ini sudah dikirim hari ini; pengingat berikutnya dapat dikirim besok.")
        )
    level = item.verdict.responsible
    people = people_at(item, level)
    if not people:
        raise ValidationError(
            _(
                "Belum ada pengguna aktif sebagai %(who)s, sehingga pengingat tidak dapat dikirim; minta pengelola "
                "pengguna wilayah itu memberi peran terlebih dahulu."
            )
            % {"who": responsible_name(item)}
        )
    _marker, created = ReminderSent.objects.get_or_create(key=reminder_key(item, now), defaults={"sent_at": now})
    if not created:  # a second click that arrived at the same moment
        raise ValidationError(_("Pengingat untuk pekerjaan ini sudah dikirim hari ini."))
    signed = by.full_name or by.username

    def build() -> Message:
        return Message(
            kind=Kind.NUDGED,
            title=_("Pengingat: pekerjaan tertahan %(days)s hari · %(region)s")
            % {"days": wording.count(item.verdict.age_days), "region": item.region_name},
            body="\n".join([describe(item), _("Diingatkan oleh %(who)s.") % {"who": signed}]),
            key=reminder_key(item, now),
            url=_link(item, level),
            object_type=_object_type(item),
            object_id=str(item.pk),
        )

    told = deliver(people, build, now=now)
    audit.record(
        action="kla.stuck.reminded",
        by=by,
        object_type=_object_type(item),
        object_id=str(item.pk),
        object_label=f"{item.region_name} · {item.label or item.cycle_name}",
        region_code=item.region_code,
        after={"kind": KIND_LABELS[item.kind](), "responsible": responsible_name(item), "told": told},
    )
    return told
