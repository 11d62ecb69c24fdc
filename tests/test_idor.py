"""IDOR (reliability plan 1.1, ASVS 8.2.2): every object URL of the project, pages and /api/v1, replayed with Kota
Palembang's ids by users of other regions.

Each URL pattern that takes an argument has a `Replay` per method it accepts, or an entry in `NOT_REGIONAL` saying
why its argument is no region's object; `test_every_object_url_is_replayed` fails on a new URL with neither, so the
suite cannot rot. For each replay:

* every attacker (Lubuk Linggau's secretariat and agency operator, Jambi's province reviewer) gets 404, so the
  object's existence does not leak, or the 403 pinned in `FORBIDDEN` where the gate refuses the role before it reads
  the id (checked: a missing id gets the same 403); and the request changes nothing: no row of the watched tables, no
  audit event, no e-mail, no stored file;
* the control: region A's own user, with the same URL, body and state, gets the success status, and a write does
  change the watched state, so both assertions above can fail.

Pages use a signed-in session (CSRF is not enforced by the test client); /api/v1 uses a Bearer token.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import PERSONAS, PersonaClient
from kla.accounts.models import Membership, User
from kla.activities.tests import idor as activity_idor
from kla.agencies.tests import idor as agency_idor
from kla.evaluations.models import Assignment, Entry, Evaluation
from kla.evidence.models import Evidence
from kla.evidence.tests import files
from kla.fieldvisits.tests.matrix import gps_jpeg
from kla.notifications.tests import idor as notification_idor
from kla.people.tests import idor as people_idor
from kla.rad.tests import api_matrix as rad_api_idor
from kla.rad.tests import idor as rad_idor
from kla.taskforce.tests import idor as taskforce_idor
from kla.verification.models import ProposalLetter
from kla.verification.selectors import letter_defaults
from tests.idor_objects import (
    ATTACKERS,
    CYCLE,
    JAMBI,
    LUBUKLINGGAU,
    PALEMBANG,
    SUMSEL,
    Palembang,
    attacker,
    bearer,
    changed,
    evidence_deleted,
    province_review,
    returned,
    snapshot,
    submitted,
    unassigned,
)

Objects = Callable[[Palembang], dict[str, Any]]


def nothing(a: Palembang) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Replay:
    name: str
    method: str
    kwargs: Objects  # region A's ids for the URL
    owner: str  # the persona of region A for whom the request succeeds (conftest.PERSONAS)
    ok: int  # the owner's status
    data: Objects = nothing  # the body (pages: form fields; API: JSON, or multipart when it holds a file)
    setup: Callable[[Palembang], None] | None = None  # a state in which the owner's write succeeds
    writes: bool = False  # the owner's request changes the watched state (the control checks it)
    multipart: bool = False

    @property
    def id(self) -> str:
        return f"{self.name}[{self.method}]"


def _eval(a: Palembang) -> dict[str, Any]:
    return {"pk": a.evaluation.pk}


def _entry(a: Palembang) -> dict[str, Any]:
    return {"pk": a.entry.pk}


def _answer(a: Palembang) -> dict[str, Any]:
    return {"pk": a.entry.pk, "question_pk": a.question.pk}


def _evidence(a: Palembang) -> dict[str, Any]:
    return {"pk": a.evidence.pk}


def _opd_user(a: Palembang) -> dict[str, Any]:
    return {"pk": a.opd_user.pk}


def _province(a: Palembang) -> dict[str, Any]:
    return {"cycle_code": CYCLE, "code": SUMSEL}


def _site(a: Palembang) -> dict[str, Any]:
    return {"pk": a.site.pk}


def _field_eval(a: Palembang) -> dict[str, Any]:
    return {"evaluation_pk": a.plan.evaluation_id}


def _api_eval(a: Palembang) -> dict[str, Any]:
    return {"evaluation_id": a.evaluation.pk}


def _api_entry(a: Palembang) -> dict[str, Any]:
    return {"entry_id": a.entry.pk}


def _with_evidence(a: Palembang) -> None:
    assert a.evidence.pk  # uploaded on first use: the evidence pack has a file to hold


def _api_question(a: Palembang) -> dict[str, Any]:
    return {"entry_id": a.entry.pk, "question_code": a.question.code}


def _api_evidence(a: Palembang) -> dict[str, Any]:
    return {"evidence_id": a.evidence.pk}


def _pdf(a: Palembang) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("akta.pdf", files.pdf()), "evidence_type": "report"}


def _percentage(a: Palembang) -> dict[str, Any]:
    return {"numerator": "930", "denominator": "1000", "version": ""}


def _deadline() -> str:
    return (dt.datetime.now() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")


def _chosen(a: Palembang) -> dict[str, Any]:
    return {"entries": [a.entry.pk], "comment": "Lengkap.", "reason": "Lampirkan SK terbaru.", "deadline": _deadline()}


def _letter_wording(a: Palembang) -> dict[str, Any]:
    return {**letter_defaults(a.evaluation.region.parent), "signer": "Penanda Tangan Lain"}


REPLAYS: list[Replay] = [
    # accounts: a token, a user and a membership of region A
    Replay("accounts:token_revoke", "POST", lambda a: {"pk": a.opd_token.pk}, "opd", 302, writes=True),
    Replay("accounts:user_detail", "GET", _opd_user, "secretariat", 200),
    Replay(
        "accounts:membership_grant",
        "POST",
        _opd_user,
        "secretariat",
        302,
        data=lambda a: {"role": "secretariat", "region": PALEMBANG},
        writes=True,
    ),
    Replay(
        "accounts:membership_revoke",
        "POST",
        lambda a: {"pk": a.opd_membership.pk},
        "secretariat",
        302,
        data=lambda a: {"reason": "Pindah tugas."},
        writes=True,
    ),
    Replay("accounts:totp_reset", "POST", _opd_user, "ministry_admin", 302),
    # the self-assessment
    Replay("evaluations:evaluation_detail", "GET", _eval, "secretariat", 200),
    Replay("evaluations:evaluation_auto_assign", "POST", _eval, "secretariat", 302, setup=unassigned, writes=True),
    Replay(
        "evaluations:evaluation_submit",
        "POST",
        _eval,
        "secretariat",
        302,
        data=lambda a: {"acknowledge_missing": "on", "confirm_below_gate": "1"},
        writes=True,
    ),
    # a submission no review has started, withdrawn while the self-assessment stage is open (issue 21)
    Replay("evaluations:evaluation_withdraw", "POST", _eval, "secretariat", 302, setup=submitted, writes=True),
    Replay(
        "evaluations:evaluation_remind",
        "POST",
        _eval,
        "secretariat",
        302,
        data=lambda a: {"agency": a.agency.pk, "note": "Mohon dilengkapi."},
        writes=True,
    ),
    Replay("evaluations:entry_detail", "GET", _entry, "opd", 200),
    Replay(
        "evaluations:entry_assign",
        "POST",
        _entry,
        "secretariat",
        302,
        data=lambda a: {"agencies": [a.agency.pk]},
        writes=True,
    ),
    Replay("evaluations:answer_save", "POST", _answer, "opd", 302, data=_percentage, writes=True),
    # evidence
    Replay("evidence:upload", "POST", _answer, "opd", 302, data=_pdf, writes=True, multipart=True),
    # a file id of no record: the owner is refused with a message (the gate on the entry is what is tested)
    Replay("evidence:link", "POST", _answer, "opd", 302, data=lambda a: {"source": "taskforce", "source_id": "0"}),
    Replay("evidence:download", "GET", _evidence, "opd", 200, writes=True),  # the download is audited
    Replay("evidence:delete", "POST", _evidence, "opd", 302, writes=True),
    Replay("evidence:restore", "POST", _evidence, "opd", 302, setup=evidence_deleted, writes=True),
    # a fresh upload is not a carried file: the owner is refused with a message (the gate is what is tested)
    Replay("evidence:confirm", "POST", _evidence, "opd", 302, data=lambda a: {"decision": "valid"}),
    Replay("evidence:carry_forward", "POST", _eval, "secretariat", 302),
    # verification by the province
    Replay("verification:evaluation", "GET", _eval, "province", 200, setup=province_review),
    Replay(
        "verification:step",
        "POST",
        _eval,
        "province",
        302,
        data=lambda a: {"step": "start_province_review"},
        setup=submitted,
        writes=True,
    ),
    Replay("verification:accept", "POST", _eval, "province", 302, data=_chosen, setup=province_review, writes=True),
    Replay(
        "verification:return_entries",
        "POST",
        _eval,
        "province",
        302,
        data=_chosen,
        setup=province_review,
        writes=True,
    ),
    Replay("verification:entry", "GET", _entry, "province", 200, setup=province_review),
    Replay(
        "verification:verdict",
        "POST",
        _answer,
        "province",
        302,
        data=lambda a: {"decision": "accepted"},
        setup=province_review,
        writes=True,
    ),
    Replay("verification:resubmit", "POST", _entry, "secretariat", 302, setup=returned, writes=True),
    Replay("verification:entry_history", "GET", _entry, "secretariat", 200),
    Replay("verification:letter", "GET", lambda a: {"pk": a.letter.pk}, "province", 200),
    Replay("reports:score_sheet_pdf", "POST", _eval, "secretariat", 302, writes=True),
    Replay("reports:evaluation_evidence_pack", "POST", _eval, "province", 302, setup=_with_evidence, writes=True),
    Replay("reports:entry_evidence_pack", "POST", _entry, "opd", 302, setup=_with_evidence, writes=True),
    # the owner's download is audited (who took the file): a write of the audit trail
    Replay("reports:download", "GET", lambda a: {"pk": a.export.pk}, "secretariat", 200, writes=True),
    Replay("verification:province", "GET", _province, "province", 200),
    # no evaluation is ready to propose: the owner is refused with a message (the gate is what is tested)
    Replay(
        "verification:propose",
        "POST",
        _province,
        "province",
        302,
        data=lambda a: {"evaluations": [a.evaluation.pk], "number": "400/KLA/2026"},
        setup=province_review,
    ),
    Replay("verification:letter_template", "GET", _province, "province", 200),
    Replay("verification:letter_template", "POST", _province, "province", 302, data=_letter_wording, writes=True),
    # field verification (the ministry's working papers of region A)
    Replay("fieldvisits:plan", "GET", _field_eval, "field_verifier", 200),
    Replay(
        "fieldvisits:plan",
        "POST",
        _field_eval,
        "field_verifier",
        302,
        data=lambda a: {"visit_date": "2030-08-01", "mode": "hybrid", "notes": "Diubah.", "version": "1"},
        writes=True,
    ),
    Replay(
        "fieldvisits:site_add",
        "POST",
        _field_eval,
        "field_verifier",
        302,
        data=lambda a: {"name": "Puskesmas Ilir Barat", "kind": "health"},
        writes=True,
    ),
    Replay("fieldvisits:site", "GET", _site, "field_verifier", 200),
    Replay(
        "fieldvisits:site_checklist",
        "POST",
        _site,
        "field_verifier",
        302,
        data=lambda a: {"shown": ["0", "1"], "done": ["0"]},
        writes=True,
    ),
    Replay(
        "fieldvisits:site_notes",
        "POST",
        _site,
        "field_verifier",
        302,
        data=lambda a: {"notes": "Toilet siswa bersih.", "visited": "1", "visited_present": "1"},
        writes=True,
    ),
    Replay(
        "fieldvisits:photo_upload",
        "POST",
        _site,
        "field_verifier",
        302,
        data=lambda a: {"file": SimpleUploadedFile("IMG_2.jpg", gps_jpeg(), content_type="image/jpeg")},
        writes=True,
        multipart=True,
    ),
    Replay("fieldvisits:photo", "GET", lambda a: {"pk": a.photo.pk}, "field_verifier", 200, writes=True),  # audited
    Replay("fieldvisits:photo_delete", "POST", lambda a: {"pk": a.photo.pk}, "field_verifier", 302, writes=True),
    Replay("fieldvisits:points", "GET", _field_eval, "field_verifier", 200),
    Replay(
        "fieldvisits:points_save",
        "POST",
        lambda a: {"entry_pk": a.field_entry.pk},
        "field_verifier",
        302,
        data=lambda a: {"points": "20", "reason": "Dua sekolah belum memiliki SK Tim SRA."},
        writes=True,
    ),
    Replay("fieldvisits:finish", "POST", _field_eval, "field_verifier", 302, writes=True),
    # results of region A
    Replay("results:region", "GET", lambda a: {"code": PALEMBANG}, "secretariat", 200),
    Replay(
        "results:region",
        "POST",
        lambda a: {"code": PALEMBANG},
        "secretariat",
        302,
        data=lambda a: {"band_code": "nindya", "year": "2027", "note": "Naik satu tingkat."},
        writes=True,
    ),
    Replay("results:score_sheet", "GET", lambda a: {"cycle_code": CYCLE, "pk": a.evaluation.pk}, "secretariat", 200),
    # /api/v1
    Replay("api:evaluation_detail", "GET", _api_eval, "secretariat", 200),
    Replay("api:entry_detail", "GET", _api_entry, "opd", 200),
    Replay(
        "api:answer_put",
        "PUT",
        _api_question,
        "opd",
        200,
        data=lambda a: {"value": {"numerator": "930", "denominator": "1000"}},
        writes=True,
    ),
    Replay("api:evidence_post", "POST", _api_question, "opd", 201, data=_pdf, writes=True, multipart=True),
    # a file id of no record: the owner passes the gate and is refused by the service (422); B gets 404
    Replay(
        "api:evidence_link",
        "POST",
        _api_question,
        "opd",
        422,
        data=lambda a: {"source": "taskforce", "source_id": 0},
    ),
    Replay("api:evidence_detail", "GET", _api_evidence, "opd", 200),
    Replay("api:evidence_file", "GET", _api_evidence, "opd", 200, writes=True),  # the download is audited
    Replay(
        "api:step_take",
        "POST",
        lambda a: {"evaluation_id": a.evaluation.pk, "step": "submit"},
        "secretariat",
        200,
        data=lambda a: {"acknowledge_missing": True, "confirm_below_gate": True},
        writes=True,
    ),
    Replay("api:reviews", "GET", _api_eval, "province", 200, setup=province_review),
    Replay(
        "api:verdict_put",
        "PUT",
        _api_question,
        "province",
        200,
        data=lambda a: {"decision": "accepted"},
        setup=province_review,
        writes=True,
    ),
    Replay(
        "api:entries_accept",
        "POST",
        _api_eval,
        "province",
        200,
        data=lambda a: {"entries": [a.entry.pk], "comment": "Lengkap."},
        setup=province_review,
        writes=True,
    ),
    Replay(
        "api:entries_return",
        "POST",
        _api_eval,
        "province",
        200,
        data=lambda a: {"entries": [a.entry.pk], "reason": "Lampirkan SK terbaru.", "deadline": _deadline()},
        setup=province_review,
        writes=True,
    ),
    Replay("api:entry_resubmit", "POST", _api_entry, "secretariat", 200, setup=returned, writes=True),
    Replay("api:scores", "GET", _api_eval, "secretariat", 200),
    # issue 21: a province's PROVILA status (an estimate before the release), a kab/kota's targets
    Replay("api:province_status", "GET", _province, "province", 200),
    Replay("api:targets", "GET", lambda a: {"code": PALEMBANG}, "secretariat", 200),
    Replay("api:export_detail", "GET", lambda a: {"export_id": a.export.pk}, "secretariat", 200),
    Replay("api:export_file", "GET", lambda a: {"export_id": a.export.pk}, "secretariat", 200, writes=True),
    Replay("api:score_sheet_create", "POST", _api_eval, "secretariat", 202, writes=True),
    Replay("api:evaluation_pack_create", "POST", _api_eval, "province", 202, setup=_with_evidence, writes=True),
    Replay("api:entry_pack_create", "POST", _api_entry, "opd", 202, setup=_with_evidence, writes=True),
]

# the Gugus Tugas: its objects and bodies live beside its tests (kla/taskforce/tests/idor.py)
REPLAYS += [Replay(*args, **kwargs) for args, kwargs in taskforce_idor.REPLAYS]
# activities (kegiatan): their objects and bodies live beside their tests (kla/activities/tests/idor.py)
REPLAYS += [Replay(*args, **kwargs) for args, kwargs in activity_idor.REPLAYS]
# RAD KLA's API and spreadsheet pages (kla/rad/tests/api_matrix.py)
REPLAYS += [Replay(*args, **kwargs) for args, kwargs in rad_api_idor.REPLAYS]

# the agency registry: its objects and bodies live beside its tests (kla/agencies/tests/idor.py)
REPLAYS += [Replay(*args, **kwargs) for args, kwargs in agency_idor.REPLAYS]

# RAD KLA: its objects and bodies live beside its tests (kla/rad/tests/idor.py)
REPLAYS += [Replay(*args, **kwargs) for args, kwargs in rad_idor.REPLAYS]

# people who come and go: handing over and deactivating a user of region A (kla/people/tests/idor.py)
REPLAYS += [Replay(*args, **kwargs) for args, kwargs in people_idor.REPLAYS]

# the stuck-items board's one-click reminder (kla/notifications/tests/idor.py)
REPLAYS += [Replay(*args, **kwargs) for args, kwargs in notification_idor.REPLAYS]


def _palembang_code(a: Palembang) -> dict[str, Any]:
    return {"code": "16.71"}


def _province_code(a: Palembang) -> dict[str, Any]:
    return {"code": "16"}


# Dashboards: Palembang's and Sumatera Selatan's figures, asked by Lubuk Linggau and Jambi (outside their scope: 404).
REPLAYS += [
    Replay("dashboards:kabkota", "GET", _palembang_code, "secretariat", 200),
    Replay("dashboards:province", "GET", _province_code, "province", 200),
    Replay("dashboards:province_map", "GET", _province_code, "province", 200),
    Replay("dashboards:whatif", "GET", _palembang_code, "secretariat", 200),
    Replay("dashboards:whatif", "POST", _palembang_code, "secretariat", 302, data=lambda a: {"reset": "1"}),
    Replay("api:dashboard", "GET", lambda a: {"level": "kabkota", "code": "16.71"}, "secretariat", 200),
]

# URL patterns whose argument is not an object of one region: public reference data, national objects (cycles are
# shared by every region; their management is pinned per role in tests/test_persona_matrix.py) and sign-in links.
NOT_REGIONAL: dict[str, str] = {
    "notifications:read": "a user's own notification, no region's: another's id answers 404 (notifications tests)",
    "api:notification_read": "a user's own notification, no region's: another's id answers 404 (notifications tests)",
    "accounts:password_reset_confirm": "a signed reset link, not an object id",
    "regions:detail": "public reference data",
    "indicators:framework": "public reference data",
    "indicators:indicator": "public reference data",
    "evaluations:cycle_detail": "a national cycle, read by every role",
    "evaluations:cycle_open": "a national cycle, managed by the ministry only",
    "evaluations:cycle_extend": "a national cycle, its deadlines extended by the ministry only",
    "evaluations:cycle_rescore": "a national cycle, re-scored by the ministry only",
    "results:public_cycle": "public results of a national cycle",
    "results:publication": "a national cycle, published by the ministry only",
    "results:publication_request": "a national cycle, published by the ministry only",
    "results:publication_confirm": "a national cycle, published by the ministry only",
    "results:publication_withdraw": "a national cycle, published by the ministry only",
    "api:region_detail": "public reference data",
    "api:framework_detail": "public reference data",
    "api:results": "public results of a national cycle",
    "api:predicates": "public predicate history (released years only)",
    "results:open_data": "public open data of a released national cycle",
    "results:open_data_all": "public open data of every released cycle",
    "results:public_region": "a region's public predicate history (released years only)",
    "results:map_geojson": "public map of a released national cycle (predicates and counts only)",
    "results:map_province_geojson": "public map of a province in a released cycle (predicates and counts only)",
}

# Where an attacker gets 403 instead of 404: the gate refuses the role before it looks at the object, so the
# existence of the object is not at stake (the answer is the same for any id, existing or not).
# Here: user management refuses a user who may manage nobody before it looks up the id (`managed_users`).
FORBIDDEN: dict[tuple[str, str], str] = {
    (name, "other_opd"): "an operator manages no users: refused for any id"
    for name in (
        "accounts:user_detail",
        "accounts:membership_grant",
        "accounts:totp_reset",
        "people:deactivate",
        "people:reactivate",
    )
}
FORBIDDEN.update(notification_idor.FORBIDDEN)


def _object_url_names() -> dict[str, URLPattern]:
    out: dict[str, URLPattern] = {}

    def walk(patterns: list[Any], namespace: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace
                walk(p.url_patterns, f"{namespace}:{ns}" if namespace and ns else (ns or namespace))
            elif isinstance(p, URLPattern) and re.search(r"<[^>]+>", str(p.pattern)):
                out[f"{namespace}:{p.name}" if namespace else str(p.name)] = p

    walk(get_resolver().url_patterns, None)
    return out


def _api_methods(pattern: URLPattern) -> set[str]:
    """The HTTP methods of the Ninja operation behind an /api/v1 URL name."""
    path_view = next(
        c.cell_contents for c in pattern.callback.__closure__ or () if hasattr(c.cell_contents, "operations")
    )
    return {m for op in path_view.operations if op.view_func.__name__ == pattern.name for m in op.methods}


def test_every_object_url_is_replayed() -> None:
    urls = _object_url_names()
    replayed = {r.name for r in REPLAYS}
    missing = sorted(set(urls) - replayed - set(NOT_REGIONAL))
    assert not missing, f"object URLs the IDOR suite does not replay (add a Replay or a NOT_REGIONAL reason): {missing}"
    stale = sorted((replayed | set(NOT_REGIONAL)) - set(urls))
    assert not stale, f"IDOR entries for URLs that no longer exist: {stale}"
    assert not replayed & set(NOT_REGIONAL)
    for name, pattern in urls.items():
        if name.startswith("api:") and name in replayed:
            methods = {r.method for r in REPLAYS if r.name == name}
            assert methods == _api_methods(pattern), f"{name}: replayed {methods}, served {_api_methods(pattern)}"
    assert len({r.id for r in REPLAYS}) == len(REPLAYS)


def _send(client: Client, replay: Replay, a: Palembang, headers: dict[str, str]) -> Any:
    url = reverse(replay.name, kwargs=replay.kwargs(a))
    data = replay.data(a)
    if replay.method == "GET":
        return client.get(url, headers=headers)
    if replay.name.startswith("api:") and not replay.multipart:
        call = client.put if replay.method == "PUT" else client.post
        return call(url, data, content_type="application/json", headers=headers)
    return client.post(url, data, headers=headers)


def _client(user: Any, api: bool) -> tuple[Client, dict[str, str]]:
    """Pages: a signed-in session (second sign-in step passed); the API: a Bearer token and no session."""
    if api:
        return Client(), bearer(user)
    client = PersonaClient()
    client.force_login(user)
    return client, {}


@pytest.fixture
def region_a(db: None, settings: Any, tmp_path: Any) -> Palembang:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Palembang()


CASES = [pytest.param(r, p, id=f"{r.id}-{p}") for r in REPLAYS for p in ATTACKERS]


@pytest.mark.parametrize(("replay", "persona"), CASES)
def test_another_region_cannot_use_region_a_ids(replay: Replay, persona: str, region_a: Palembang) -> None:
    a = region_a
    url_kwargs = replay.kwargs(a)  # region A's objects exist before the attacker arrives
    if replay.setup is not None:
        replay.setup(a)
    client, headers = _client(attacker(persona), api=replay.name.startswith("api:"))
    before = snapshot()
    response = _send(client, replay, a, headers)
    expected = 403 if (replay.name, persona) in FORBIDDEN else 404
    assert response.status_code == expected, (
        f"{replay.method} {reverse(replay.name, kwargs=url_kwargs)} as {persona}: {response.status_code}"
    )
    assert changed(before, snapshot()) == [], f"{replay.id} as {persona} changed data"
    if expected == 403:  # the same answer for an id that does not exist: nothing is learnt from the 403
        missing = {k: 10**9 if isinstance(v, int) else v for k, v in url_kwargs.items()}
        assert _send(client, replace(replay, kwargs=lambda a: missing), a, headers).status_code == 403


@pytest.mark.parametrize("replay", [pytest.param(r, id=f"{r.id}-{r.owner}") for r in REPLAYS])
def test_region_a_itself_succeeds(replay: Replay, region_a: Palembang) -> None:
    """The control: the same URL, body and state for region A's own user, so the denials above are not vacuous."""
    a = region_a
    replay.kwargs(a)
    if replay.setup is not None:
        replay.setup(a)
    client, headers = _client(User.objects.get(username=PERSONAS[replay.owner]), api=replay.name.startswith("api:"))
    before = snapshot()
    response = _send(client, replay, a, headers)
    assert response.status_code == replay.ok, (replay.id, response.status_code, response.content[:300])
    assert bool(changed(before, snapshot())) == replay.writes, changed(before, snapshot())


# --- region A's ids inside the body of a request to one's own URL ----------------------------------------------------


@dataclass(frozen=True)
class BodyReplay:
    """Region B's own URL (which B may use) with region A's ids in the body: A's data stays as it was."""

    name: str
    persona: str
    kwargs: Callable[[], dict[str, Any]]
    data: Objects
    ok: set[int] = field(default_factory=lambda: {302})


def _lubuklinggau_entry() -> dict[str, Any]:
    return {
        "pk": Entry.objects.get(
            evaluation__cycle__code=CYCLE, evaluation__region_id=LUBUKLINGGAU, indicator__number=4
        ).pk
    }


def _lubuklinggau_eval() -> dict[str, Any]:
    return {"pk": Evaluation.objects.get(cycle__code=CYCLE, region_id=LUBUKLINGGAU).pk}


BODY_REPLAYS = [
    # an operator of A's agency assigned to B's entry
    BodyReplay(
        "evaluations:entry_assign", "other_secretariat", _lubuklinggau_entry, lambda a: {"agencies": [a.agency.pk]}
    ),
    # a reminder e-mailed to A's operators from B's evaluation
    BodyReplay(
        "evaluations:evaluation_remind", "other_secretariat", _lubuklinggau_eval, lambda a: {"agency": a.agency.pk}
    ),
    # A's evidence "replaced" by an upload to B's entry
    BodyReplay(
        "evidence:upload",
        "other_secretariat",
        lambda: {**_lubuklinggau_entry(), "question_pk": Palembang().question.pk},
        lambda a: {**_pdf(a), "replaces": a.evidence.pk},
        ok={404},  # the gate on `replaces` refuses A's file before anything is stored
    ),
    # A's evaluation proposed by another province
    BodyReplay(
        "verification:propose",
        "other_province",
        lambda: {"cycle_code": CYCLE, "code": JAMBI},
        lambda a: {"evaluations": [a.evaluation.pk], "number": "1/IDOR"},
    ),
]


def _region_a_state(a: Palembang) -> dict[str, Any]:
    """Region A's rows that a request to another region's URL could reach through ids in its body."""
    return {
        "evaluation": list(Evaluation.objects.filter(region_id=PALEMBANG).values_list()),
        "evidence": list(Evidence.objects.filter(entry__evaluation__region_id=PALEMBANG).order_by("pk").values_list()),
        "agency": list(Assignment.objects.filter(agency=a.agency).order_by("pk").values_list()),
        "memberships": list(Membership.objects.filter(region_id=PALEMBANG).order_by("pk").values_list()),
        "letters": list(ProposalLetter.objects.order_by("pk").values_list()),
        "mail": [m.to for m in mail.outbox],
    }


@pytest.mark.parametrize("body", [pytest.param(b, id=f"{b.name}-{b.persona}") for b in BODY_REPLAYS])
def test_region_a_ids_in_the_body_change_nothing_of_region_a(body: BodyReplay, region_a: Palembang) -> None:
    a = region_a
    a.evidence
    province_review(a)
    client, _ = _client(attacker(body.persona), api=False)
    before = _region_a_state(a)
    response = client.post(reverse(body.name, kwargs=body.kwargs()), body.data(a))
    assert response.status_code in body.ok
    assert _region_a_state(a) == before
