"""Who does what in the load test, read from the seeded national data (run inside Django by run.py).

Writes one JSON file: the operators with the questions each one alone writes (so that every acknowledged autosave can
be checked afterwards), API tokens for the slow uploaders, the secretariats, the province reviewers with entries in
province review, the 100 draft evaluations of the deadline burst and the published cycle of the public pages.
"""

from __future__ import annotations

import json
import os
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

TOKENS = 160  # slow uploaders (150) and spares


def signed_in_sessions(usernames: set[str]) -> dict[str, str]:
    """A session per account as the login form leaves it (privileged ones past the code step too).

    The peak hour's ~1,000 people signed in earlier in the day (sessions last hours); logging all of them in during
    the ramp would be a login storm the model does not have. Secretariats still log in through the real form in the
    mix, so the password step is measured under load too.
    """
    from django.contrib.auth import login
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpRequest

    from kla.accounts import security
    from kla.accounts.models import User

    keys = {}
    for user in User.objects.filter(username__in=usernames):
        request = HttpRequest()
        request.session = SessionStore()
        request.user = user
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if security.is_privileged(user):
            security.mark_second_step(request.session)
        request.session.save()
        keys[user.username] = str(request.session.session_key)
    return keys


def build() -> dict[str, Any]:
    from django.conf import settings

    from bench.national_data import NATIONAL_PASSWORD, PREFIX
    from kla.accounts.models import Membership, User
    from kla.accounts.roles import Role
    from kla.accounts.services import token_create
    from kla.demo.data import DEMO_TOTP_SECRET
    from kla.evaluations.models import Assignment, Cycle, Entry, Evaluation
    from kla.indicators.models import Question

    cycles = list(Cycle.objects.filter(code__startswith="nasional-").order_by("code"))
    published, current = cycles[0], cycles[-1]
    drafts = list(
        Evaluation.objects.filter(cycle=current, status=Evaluation.Status.DRAFT)
        .order_by("region_id")
        .values_list("pk", "region_id")
    )
    questions: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for q in Question.objects.filter(indicator__framework_id=current.framework_id).order_by("position"):
        questions[q.indicator_id].append((q.pk, q.code, q.answer_type))

    operator_of: dict[tuple[str, int], str] = {}
    for username, region, agency in Membership.objects.filter(
        role=Role.OPD_OPERATOR, user__username__startswith=PREFIX, region_id__in=[r for _, r in drafts]
    ).values_list("user__username", "region_id", "agency_id"):
        operator_of.setdefault((region, agency), username)
    items: dict[str, list[dict[str, Any]]] = defaultdict(list)
    taken: set[tuple[int, int]] = set()
    for entry_id, indicator_id, agency_id, region in Assignment.objects.filter(
        entry__evaluation__in=[pk for pk, _ in drafts]
    ).values_list("entry_id", "entry__indicator_id", "agency_id", "entry__evaluation__region_id"):
        username = operator_of.get((region, agency_id))
        if username is None:
            continue
        for question_id, code, kind in questions[indicator_id]:
            if (entry_id, question_id) in taken:
                continue  # an entry shared by two agencies: one writer per question
            taken.add((entry_id, question_id))
            items[username].append({"entry": entry_id, "question": question_id, "code": code, "type": kind})
    operators = [{"username": u, "items": v} for u, v in sorted(items.items()) if v]

    tokens = []
    for op in operators[:TOKENS]:
        user = User.objects.get(username=op["username"])
        _, plain = token_create(user=user, name="uji beban", by=None)
        tokens.append({"username": op["username"], "token": plain, "items": op["items"]})

    secretariats = sorted(
        Membership.objects.filter(role=Role.SECRETARIAT, user__username__startswith=PREFIX).values_list(
            "user__username", flat=True
        )
    )
    secretariat_of = dict(
        Membership.objects.filter(role=Role.SECRETARIAT, user__username__startswith=PREFIX).values_list(
            "region_id", "user__username"
        )
    )
    burst_size = min(100, len(drafts) * 4 // 5)  # the national data has 129 drafts; fewer in a --quick run
    burst = [{"evaluation": pk, "username": secretariat_of[region]} for pk, region in drafts[:burst_size]]
    late = [{"evaluation": pk, "username": secretariat_of[region]} for pk, region in drafts[burst_size:][:20]]

    reviewing = Evaluation.objects.filter(cycle=current, status=Evaluation.Status.PROVINCE_REVIEW)
    by_province: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for ev in reviewing.select_related("region").prefetch_related("entries"):
        for entry in ev.entries.all():
            if entry.status != Entry.Status.SUBMITTED:
                continue  # a returned entry waits for the kab/kota; a verdict on it is rightly refused
            for question_id, _code, _kind in questions[entry.indicator_id]:
                by_province[ev.region.parent_id or ""].append({"entry": entry.pk, "question": question_id})
    province_users = dict(
        Membership.objects.filter(role=Role.PROVINCE_REVIEWER, user__username__startswith=PREFIX).values_list(
            "region_id", "user__username"
        )
    )
    reviewers = [
        {"username": province_users[p], "items": v} for p, v in sorted(by_province.items()) if p in province_users
    ]
    wanted = {o["username"] for o in operators} | set(secretariats) | {r["username"] for r in reviewers}
    return {
        "sessions": signed_in_sessions(wanted),
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "password": NATIONAL_PASSWORD,
        "totp_secret": DEMO_TOTP_SECRET,
        "current_cycle": current.code,
        "published_cycle": published.code,
        "operators": operators,
        "tokens": tokens,
        "secretariats": secretariats,
        "burst": burst,
        "late": late,
        "reviewers": reviewers,
    }


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    plan = build()
    Path(sys.argv[1]).write_text(json.dumps(plan), encoding="utf-8")
    print(
        f"plan: {len(plan['operators'])} operators, {len(plan['tokens'])} tokens, {len(plan['secretariats'])} "
        f"secretariats, {len(plan['reviewers'])} reviewers, {len(plan['burst'])} burst evaluations"
    )


if __name__ == "__main__":
    main()
