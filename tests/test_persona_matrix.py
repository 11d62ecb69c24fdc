"""Every URL pattern of the project × every persona: the expected answer for reads and writes.

A new URL without an entry in MATRIX fails `test_every_url_pattern_has_a_rule`, so no view ships without a
decision on who may use it. Statuses: 200 ok, 204 no content, 302 redirect (to the login page for anonymous
visitors, or after a form), 401 API without credentials, 403 signed in without the role, 404 outside the user's
scope (existence not revealed), 405 wrong method.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import PERSONAS
from kla.activities.tests.matrix import RULES as ACTIVITY_RULES
from kla.agencies.tests.matrix import RULES as AGENCY_RULES
from kla.dashboards.tests.matrix import RULES as DASHBOARD_RULES
from kla.fieldvisits.tests.matrix import RULES as FIELD_RULES
from kla.notifications.tests.matrix import RULES as NOTIFICATION_RULES
from kla.people.tests.matrix import RULES as PEOPLE_RULES
from kla.rad.tests.api_matrix import RULES as RAD_API_RULES
from kla.rad.tests.matrix import RULES as RAD_RULES
from kla.taskforce.tests.matrix import RULES as TASKFORCE_RULES

ALL = list(PERSONAS)
SIGNED_IN = [p for p in ALL if p != "anonymous"]
MANAGERS = ["secretariat", "other_secretariat", "province", "ministry_admin"]


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ALL, status)


def signed_in(status: int, anonymous: int = 302) -> dict[str, int]:
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, status)}


def managers(status: int, others: int = 403) -> dict[str, int]:
    return {**signed_in(others), **dict.fromkeys(MANAGERS, status)}


@dataclass(frozen=True)
class Rule:
    expect: dict[str, dict[str, int]]  # method -> persona -> status
    kwargs: Callable[[], dict[str, Any]] = dict
    data: dict[str, Any] = field(default_factory=dict)


def _opd_user_pk() -> dict[str, Any]:
    from kla.accounts.models import User

    return {"pk": User.objects.get(username="opd-palembang").pk}


def _opd_membership_pk() -> dict[str, Any]:
    from kla.accounts.models import Membership

    return {"pk": Membership.objects.get(user__username="opd-palembang").pk}


def _opd_token_pk() -> dict[str, Any]:
    from kla.accounts.models import User
    from kla.accounts.services import token_create

    token, _plain = token_create(user=User.objects.get(username="opd-palembang"), name="matriks", by=None)
    return {"pk": token.pk}


def _palembang_eval() -> dict[str, Any]:
    from kla.evaluations.models import Evaluation

    return {"pk": Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.71").pk}


def _palembang_entry() -> dict[str, Any]:
    from kla.evaluations.models import Entry

    return {
        "pk": Entry.objects.get(
            evaluation__cycle__code="evaluasi-kla-demo", evaluation__region_id="16.71", indicator__number=4
        ).pk
    }


def _palembang_answer() -> dict[str, Any]:
    from kla.evaluations.models import Entry

    entry = Entry.objects.get(
        evaluation__cycle__code="evaluasi-kla-demo", evaluation__region_id="16.71", indicator__number=4
    )
    return {"pk": entry.pk, "question_pk": entry.indicator.questions.order_by("position").first().pk}


def _palembang_evidence() -> dict[str, Any]:
    """A stored evidence file of Palembang's indicator 4 (created through the real upload service)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kla.evidence.services import evidence_upload
    from kla.evidence.tests import files

    target = _palembang_answer()
    from kla.evaluations.models import Entry
    from kla.indicators.models import Question

    result = evidence_upload(
        entry=Entry.objects.get(pk=target["pk"]),
        question=Question.objects.get(pk=target["question_pk"]),
        upload=SimpleUploadedFile("bukti.pdf", files.pdf()),
        evidence_type="report",
        meta={},
        by=None,
    )
    return {"pk": result.evidence.pk}


def _ministry_export() -> dict[str, Any]:
    """A finished recap of the national verifier, built by the real export service."""
    from kla.accounts.models import User
    from kla.reports.models import Export
    from kla.reports.services import build, grant_keys

    user = User.objects.get(username="kemen-verifikator")
    export = Export.objects.create(
        kind="rekap-evaluasi", cycle_code="evaluasi-kla-demo", format="xlsx", grants=grant_keys(user), requested_by=user
    )
    return {"pk": build(export.pk).pk}


GET_ONLY_PUBLIC = Rule({"GET": everyone(200), "POST": everyone(405)})
ROLES = [p for p in SIGNED_IN if p != "no_role"]


def with_role(status: int, no_role: int = 403) -> dict[str, int]:
    """Every persona holding a role gets `status`; a signed-in user without a role `no_role`; anonymous: login."""
    return {**signed_in(status), "no_role": no_role}


def palembang(view: int, act: int | None = None, actors: tuple[str, ...] = ("secretariat",)) -> dict[str, int]:
    """Palembang's evaluation: its region, province and ministry see it (`view`); `actors` get `act`; the
    other kab/kota and users without a role get 404 (existence not revealed)."""
    out = {**signed_in(view), "no_role": 404, "other_secretariat": 404}
    if act is not None:
        out.update({p: 403 for p in ROLES if p not in ("other_secretariat",)})
        out.update(dict.fromkeys(actors, act))
    return out


REVIEWERS = ("province", "ministry_verifier", "field_verifier", "ministry_admin")


def reviewers(status: int, kabkota: int = 403) -> dict[str, int]:
    """Verification pages of Palembang: reviewers get `status`; Palembang's own users `kabkota`; others 404."""
    return {**palembang(kabkota), **dict.fromkeys(REVIEWERS, status)}


def province_pages(status: int, ministry: int | None = None) -> dict[str, int]:
    """Pages of the province Sumatera Selatan: its reviewer and the ministry; every kab/kota user gets 404."""
    out = {**signed_in(404), **dict.fromkeys(REVIEWERS, status)}
    if ministry is not None:
        out.update(dict.fromkeys(("ministry_verifier", "field_verifier", "ministry_admin"), ministry))
    return out


def _sumsel_letter() -> dict[str, Any]:
    from kla.evaluations.models import Cycle
    from kla.verification.models import ProposalLetter

    cycle = Cycle.objects.get(code="evaluasi-kla-demo")
    return {"pk": ProposalLetter.objects.create(cycle=cycle, province_id="16", number="matriks").pk}


def _sumsel() -> dict[str, Any]:
    return {"cycle_code": "evaluasi-kla-demo", "code": "16"}


MATRIX: dict[str, Rule] = {
    "site:home": GET_ONLY_PUBLIC,
    "site:healthz": GET_ONLY_PUBLIC,
    "site:readyz": GET_ONLY_PUBLIC,
    "set_language": Rule({"POST": everyone(302)}, data={"language": "en", "next": "/"}),
    "regions:index": GET_ONLY_PUBLIC,
    "regions:detail": Rule(GET_ONLY_PUBLIC.expect, kwargs=lambda: {"code": "16.71"}),
    "indicators:index": GET_ONLY_PUBLIC,
    "indicators:framework": Rule(GET_ONLY_PUBLIC.expect, kwargs=lambda: {"code": "kla-2024-ref"}),
    "indicators:indicator": Rule(
        GET_ONLY_PUBLIC.expect, kwargs=lambda: {"code": "kla-2024-ref", "indicator_code": "4"}
    ),
    "accounts:login": Rule({"GET": signed_in(302, anonymous=200)}),
    "accounts:logout": Rule({"GET": everyone(405), "POST": everyone(302)}),
    "accounts:me": Rule({"GET": signed_in(200), "POST": everyone(405)}),
    "accounts:password_change": Rule({"GET": signed_in(200)}),
    "accounts:password_change_done": Rule({"GET": signed_in(200)}),
    "accounts:password_reset": Rule({"GET": everyone(200)}),
    "accounts:password_reset_done": Rule({"GET": everyone(200)}),
    "accounts:password_reset_confirm": Rule({"GET": everyone(200)}, kwargs=lambda: {"uidb64": "MQ", "token": "x-y"}),
    "accounts:password_reset_complete": Rule({"GET": everyone(200)}),
    "accounts:token_create": Rule({"GET": everyone(405), "POST": everyone(302)}),
    "accounts:token_revoke": Rule({"GET": everyone(405), "POST": {**signed_in(404), "opd": 302}}, kwargs=_opd_token_pk),
    "accounts:users": Rule({"GET": managers(200), "POST": everyone(405)}),
    "accounts:user_create": Rule({"GET": managers(200)}),
    "accounts:user_detail": Rule(
        {"GET": {**managers(200), "other_secretariat": 404}, "POST": everyone(405)}, kwargs=_opd_user_pk
    ),
    "accounts:membership_grant": Rule(
        {"GET": everyone(405), "POST": {**managers(302), "other_secretariat": 404}}, kwargs=_opd_user_pk
    ),
    "accounts:membership_revoke": Rule(
        {"GET": everyone(405), "POST": {**managers(302, others=404), "other_secretariat": 404}},
        kwargs=_opd_membership_pk,
    ),
    # The second sign-in step: anonymous visitors go to the login page; everyone else is sent on (the personas of
    # this matrix have passed the step or do not need it). Without the step: kla/accounts/tests/test_security_*.
    "accounts:login_code": Rule({"GET": everyone(302), "POST": everyone(302)}),
    "accounts:totp_enrol": Rule({"GET": everyone(302), "POST": everyone(302)}),
    # a new set of recovery codes (shown once): users with an authenticator app, i.e. the privileged personas;
    # the others are sent back to their account page with the reason
    "accounts:recovery_codes_create": Rule(
        {
            "GET": everyone(405),
            "POST": {
                **signed_in(302),
                **dict.fromkeys(["province", "ministry_verifier", "field_verifier", "ministry_admin"], 200),
            },
        }
    ),
    # resetting someone's authenticator app: ministry administrators only
    "accounts:totp_reset": Rule(
        {"GET": everyone(405), "POST": {**managers(403), "other_secretariat": 404, "ministry_admin": 302}},
        kwargs=_opd_user_pk,
    ),
    "evaluations:cycles": Rule({"GET": with_role(200), "POST": everyone(405)}),
    "evaluations:cycle_create": Rule({"GET": {**with_role(403), "ministry_admin": 200}}),
    "evaluations:cycle_detail": Rule({"GET": with_role(200)}, kwargs=lambda: {"code": "evaluasi-kla-demo"}),
    "evaluations:cycle_open": Rule(
        {"GET": everyone(405), "POST": {**with_role(403), "ministry_admin": 302}},
        kwargs=lambda: {"code": "evaluasi-kla-demo"},
    ),
    # extending a stage's deadline: ministry administrators only (an empty POST shows the form's errors again)
    "evaluations:cycle_extend": Rule(
        {"GET": {**with_role(403), "ministry_admin": 200}, "POST": {**with_role(403), "ministry_admin": 200}},
        kwargs=lambda: {"code": "evaluasi-kla-demo"},
    ),
    # re-scoring a cycle in the background: ministry administrators only (a POST queues a run, then redirects)
    "evaluations:cycle_rescore": Rule(
        {"GET": {**with_role(403), "ministry_admin": 200}, "POST": {**with_role(403), "ministry_admin": 302}},
        kwargs=lambda: {"code": "evaluasi-kla-demo"},
    ),
    "evaluations:evaluations": Rule({"GET": with_role(200)}),
    "evaluations:evaluation_detail": Rule({"GET": palembang(200), "POST": everyone(405)}, kwargs=_palembang_eval),
    "evaluations:evaluation_auto_assign": Rule(
        {"GET": everyone(405), "POST": palembang(200, act=302)}, kwargs=_palembang_eval
    ),
    "evaluations:evaluation_submit": Rule(
        {"GET": everyone(405), "POST": palembang(200, act=302)}, kwargs=_palembang_eval
    ),
    # only the kab/kota's secretariat withdraws a submission (one not submitted: a message and a redirect)
    "evaluations:evaluation_withdraw": Rule(
        {"GET": everyone(405), "POST": palembang(200, act=302)}, kwargs=_palembang_eval
    ),
    "evaluations:evaluation_remind": Rule(
        {"GET": everyone(405), "POST": palembang(200, act=302)}, kwargs=_palembang_eval
    ),
    "evaluations:my_work": Rule({"GET": with_role(200)}),
    "evaluations:entry_detail": Rule({"GET": palembang(200), "POST": everyone(405)}, kwargs=_palembang_entry),
    "evaluations:entry_assign": Rule({"GET": everyone(405), "POST": palembang(200, act=302)}, kwargs=_palembang_entry),
    "evaluations:answer_save": Rule(
        {"GET": everyone(405), "POST": palembang(200, act=302, actors=("secretariat", "opd"))}, kwargs=_palembang_answer
    ),
    "evidence:upload": Rule(
        {"GET": everyone(405), "POST": palembang(200, act=302, actors=("secretariat", "opd"))}, kwargs=_palembang_answer
    ),
    "evidence:link": Rule(
        # no file named: the service refuses with a message and the page redirects (the gate is what is tested)
        {"GET": everyone(405), "POST": palembang(200, act=302, actors=("secretariat", "opd"))},
        kwargs=_palembang_answer,
    ),
    "evidence:download": Rule({"GET": palembang(200), "POST": everyone(405)}, kwargs=_palembang_evidence),
    "evidence:delete": Rule(
        {"GET": everyone(405), "POST": palembang(200, act=302, actors=("secretariat", "opd"))},
        kwargs=_palembang_evidence,
    ),
    "evidence:restore": Rule(
        {"GET": everyone(405), "POST": palembang(200, act=302, actors=("secretariat", "opd"))},
        kwargs=_palembang_evidence,
    ),
    "evidence:confirm": Rule(
        # a fresh upload is not a carried file: the service refuses with a message and the page redirects
        {"GET": everyone(405), "POST": palembang(200, act=302, actors=("secretariat", "opd"))},
        kwargs=_palembang_evidence,
    ),
    "evidence:carry_forward": Rule({"GET": everyone(405), "POST": palembang(200, act=302)}, kwargs=_palembang_eval),
    "api:index": Rule({"GET": everyone(200)}),
    "api:api-root": Rule({"GET": everyone(200)}),
    "api:openapi-json": Rule({"GET": everyone(200)}),
    "api:regions": Rule({"GET": everyone(200), "POST": everyone(405)}),
    "api:region_detail": Rule({"GET": everyone(200)}, kwargs=lambda: {"code": "16.71"}),
    "api:frameworks": Rule({"GET": everyone(200)}),
    "api:framework_detail": Rule({"GET": everyone(200)}, kwargs=lambda: {"code": "kla-2024-ref"}),
    "api:me": Rule({"GET": signed_in(200, anonymous=401)}),
    "api:evaluations": Rule({"GET": {**signed_in(200, anonymous=401)}}),
    "api:evaluation_detail": Rule(
        {"GET": {**palembang(200), "anonymous": 401}}, kwargs=lambda: {"evaluation_id": _palembang_eval()["pk"]}
    ),
    "api:entry_detail": Rule(
        {"GET": {**palembang(200), "anonymous": 401}}, kwargs=lambda: {"entry_id": _palembang_entry()["pk"]}
    ),
    # Writes through the API need a token; the browser session of the matrix is refused (401) for everyone.
    "api:answer_put": Rule(
        {"GET": everyone(405)}, kwargs=lambda: {"entry_id": _palembang_entry()["pk"], "question_code": "4.1"}
    ),
    "api:evidence_post": Rule(
        {"GET": everyone(405), "POST": everyone(401)},
        kwargs=lambda: {"entry_id": _palembang_entry()["pk"], "question_code": "4.1"},
    ),
    "api:evidence_link": Rule(
        {"GET": everyone(405), "POST": everyone(401)},
        kwargs=lambda: {"entry_id": _palembang_entry()["pk"], "question_code": "2.1"},
    ),
    "api:evidence_detail": Rule(
        {"GET": {**palembang(200), "anonymous": 401}}, kwargs=lambda: {"evidence_id": _palembang_evidence()["pk"]}
    ),
    "api:evidence_file": Rule(
        {"GET": {**palembang(200), "anonymous": 401}}, kwargs=lambda: {"evidence_id": _palembang_evidence()["pk"]}
    ),
    # Verification through the API: writes need a token (a browser session is refused with 401 for everyone).
    "api:step_take": Rule(
        {"GET": everyone(405), "POST": everyone(401)},
        kwargs=lambda: {"evaluation_id": _palembang_eval()["pk"], "step": "start_province_review"},
    ),
    "api:entries_accept": Rule(
        {"GET": everyone(405), "POST": everyone(401)}, kwargs=lambda: {"evaluation_id": _palembang_eval()["pk"]}
    ),
    "api:entries_return": Rule(
        {"GET": everyone(405), "POST": everyone(401)}, kwargs=lambda: {"evaluation_id": _palembang_eval()["pk"]}
    ),
    "api:entry_resubmit": Rule(
        {"GET": everyone(405), "POST": everyone(401)}, kwargs=lambda: {"entry_id": _palembang_entry()["pk"]}
    ),
    "api:verdict_put": Rule(
        {"GET": everyone(405)}, kwargs=lambda: {"entry_id": _palembang_entry()["pk"], "question_code": "4.1"}
    ),
    "api:reviews": Rule(
        {"GET": {**palembang(200), "anonymous": 401}}, kwargs=lambda: {"evaluation_id": _palembang_eval()["pk"]}
    ),
    "api:scores": Rule(
        {"GET": {**palembang(200), "anonymous": 401}}, kwargs=lambda: {"evaluation_id": _palembang_eval()["pk"]}
    ),
    # exports through the API: one's own list for every signed-in caller; writes need a token (session: 401)
    "api:export_create": Rule({"GET": signed_in(200, anonymous=401), "POST": everyone(401)}),
    "api:export_list": Rule({"GET": signed_in(200, anonymous=401), "POST": everyone(401)}),
    "api:rad_recap_create": Rule({"GET": everyone(405), "POST": everyone(401)}),  # a region in the body, within scope
    "api:score_sheet_create": Rule(
        {"GET": everyone(405), "POST": everyone(401)}, kwargs=lambda: {"evaluation_id": _palembang_eval()["pk"]}
    ),
    "api:evaluation_pack_create": Rule(
        {"GET": everyone(405), "POST": everyone(401)}, kwargs=lambda: {"evaluation_id": _palembang_eval()["pk"]}
    ),
    "api:entry_pack_create": Rule(
        {"GET": everyone(405), "POST": everyone(401)}, kwargs=lambda: {"entry_id": _palembang_entry()["pk"]}
    ),
    "api:export_detail": Rule(
        {"GET": {**signed_in(404, anonymous=401), "ministry_verifier": 200}},
        kwargs=lambda: {"export_id": _ministry_export()["pk"]},
    ),
    "api:export_file": Rule(
        {"GET": {**signed_in(404, anonymous=401), "ministry_verifier": 200}},
        kwargs=lambda: {"export_id": _ministry_export()["pk"]},
    ),
    # the demo cycle is not published: nobody, not even the ministry, reads it from the public results endpoint
    "api:results": Rule({"GET": everyone(404)}, kwargs=lambda: {"cycle_code": "evaluasi-kla-demo"}),
    "api:predicates": Rule({"GET": everyone(200)}, kwargs=lambda: {"code": "16.71"}),
    # before the release a province's PROVILA status is an estimate for its reviewers and the ministry only
    "api:province_status": Rule({"GET": {**province_pages(200), "anonymous": 404}}, kwargs=_sumsel),
    # a kab/kota's targets: whoever reads its results (its task force, its province, the ministry)
    "api:targets": Rule({"GET": {**palembang(200), "anonymous": 401}}, kwargs=lambda: {"code": "16.71"}),
    "results:public_index": GET_ONLY_PUBLIC,
    # before the release nobody reads a cycle's public results, not even the ministry (it has the score sheets)
    "results:public_cycle": Rule(
        {"GET": everyone(404), "POST": everyone(405)}, kwargs=lambda: {"cycle_code": "evaluasi-kla-demo"}
    ),
    # the choropleth's GeoJSON: like the page, nobody reads it before the release (nor without imported boundaries)
    "results:map_geojson": Rule(
        {"GET": everyone(404), "POST": everyone(405)}, kwargs=lambda: {"cycle_code": "evaluasi-kla-demo"}
    ),
    "results:map_province_geojson": Rule(
        {"GET": everyone(404), "POST": everyone(405)}, kwargs=lambda: {"cycle_code": "evaluasi-kla-demo", "code": "16"}
    ),
    # open data: a cycle's files exist only once its results are released; the all-years files, the data
    # dictionary and a region's released predicate history are open to everybody
    "results:open_data": Rule(
        {"GET": everyone(404), "POST": everyone(405)}, kwargs=lambda: {"cycle_code": "evaluasi-kla-demo", "fmt": "csv"}
    ),
    "results:open_data_all": Rule({"GET": everyone(200), "POST": everyone(405)}, kwargs=lambda: {"fmt": "json"}),
    "results:data_dictionary": GET_ONLY_PUBLIC,
    "results:public_region": Rule({"GET": everyone(200), "POST": everyone(405)}, kwargs=lambda: {"code": "16.71"}),
    "results:score_sheet": Rule(
        {"GET": palembang(200), "POST": everyone(405)},
        kwargs=lambda: {"cycle_code": "evaluasi-kla-demo", **_palembang_eval()},
    ),
    "results:region": Rule(
        {"GET": palembang(200), "POST": palembang(200, act=302, actors=("secretariat", "province", "ministry_admin"))},
        kwargs=lambda: {"code": "16.71"},
    ),
    "results:publication": Rule(
        {"GET": {**with_role(403), "ministry_admin": 200}, "POST": everyone(405)},
        kwargs=lambda: {"cycle_code": "evaluasi-kla-demo"},
    ),
    **{
        f"results:publication_{action}": Rule(
            {"GET": everyone(405), "POST": {**with_role(403), "ministry_admin": 302}},
            kwargs=lambda: {"cycle_code": "evaluasi-kla-demo"},
        )
        for action in ("request", "confirm", "withdraw")
    },
    "verification:queue": Rule({"GET": {**with_role(403), **dict.fromkeys(REVIEWERS, 200)}, "POST": everyone(405)}),
    "verification:evaluation": Rule({"GET": reviewers(200), "POST": everyone(405)}, kwargs=_palembang_eval),
    "verification:step": Rule({"GET": everyone(405), "POST": reviewers(302)}, kwargs=_palembang_eval),
    "verification:accept": Rule({"GET": everyone(405), "POST": reviewers(302)}, kwargs=_palembang_eval),
    "verification:return_entries": Rule({"GET": everyone(405), "POST": reviewers(302)}, kwargs=_palembang_eval),
    "verification:entry": Rule({"GET": reviewers(200), "POST": everyone(405)}, kwargs=_palembang_entry),
    "verification:verdict": Rule({"GET": everyone(405), "POST": reviewers(302)}, kwargs=_palembang_answer),
    # only the kab/kota's secretariat resubmits (an entry that is not returned: a message and a redirect)
    "verification:resubmit": Rule({"GET": everyone(405), "POST": palembang(200, act=302)}, kwargs=_palembang_entry),
    # an entry's history: its kab/kota (operators: entries assigned to their agency, as the opd's is) and reviewers
    "verification:entry_history": Rule({"GET": palembang(200), "POST": everyone(405)}, kwargs=_palembang_entry),
    "verification:province": Rule({"GET": province_pages(200), "POST": everyone(405)}, kwargs=_sumsel),
    "verification:propose": Rule({"GET": everyone(405), "POST": province_pages(302)}, kwargs=_sumsel),
    # an empty form: the province's reviewer gets the form back (422); the ministry may look but not edit
    "verification:letter_template": Rule(
        {"GET": province_pages(200), "POST": province_pages(422, ministry=403)}, kwargs=_sumsel
    ),
    "verification:letter": Rule({"GET": province_pages(200), "POST": everyone(405)}, kwargs=_sumsel_letter),
    "reports:index": Rule(
        {"GET": with_role(200), "POST": with_role(302)},
        data={"kind": "rekap-evaluasi", "cycle": "evaluasi-kla-demo", "format": "csv"},
    ),
    "reports:score_sheet_pdf": Rule({"GET": everyone(405), "POST": palembang(302)}, kwargs=_palembang_eval),
    # whoever sees the evaluation may pack its evidence (queued, or refused with a message: both redirect)
    "reports:evaluation_evidence_pack": Rule({"GET": everyone(405), "POST": palembang(302)}, kwargs=_palembang_eval),
    "reports:entry_evidence_pack": Rule({"GET": everyone(405), "POST": palembang(302)}, kwargs=_palembang_entry),
    # an export is its requester's alone: everyone else, whatever their role, is told it does not exist
    "reports:download": Rule(
        {"GET": {**signed_in(404), "ministry_verifier": 200}, "POST": everyone(405)}, kwargs=_ministry_export
    ),
}

MATRIX.update({name: Rule(expect, kwargs, data) for name, (expect, kwargs, data) in AGENCY_RULES.items()})
# Field verification: its rules live beside its test data (a Palembang evaluation in field verification).
MATRIX.update({name: Rule(expect, kwargs, data) for name, (expect, kwargs, data) in FIELD_RULES.items()})
# The Gugus Tugas: its rules live beside its test data (kla/taskforce/tests/matrix.py).
MATRIX.update({name: Rule(expect, kwargs, data) for name, (expect, kwargs, data) in TASKFORCE_RULES.items()})
# RAD KLA: its rules live beside its test data (kla/rad/tests/matrix.py).
MATRIX.update({name: Rule(expect, kwargs, data) for name, (expect, kwargs, data) in RAD_RULES.items()})
# Activities (kegiatan): their rules live beside their test data (kla/activities/tests/matrix.py).
MATRIX.update({name: Rule(expect, kwargs, data) for name, (expect, kwargs, data) in ACTIVITY_RULES.items()})
# RAD KLA's API and spreadsheet pages (kla/rad/tests/api_matrix.py).
MATRIX.update({name: Rule(expect, kwargs, data) for name, (expect, kwargs, data) in RAD_API_RULES.items()})
# Notifications: each user's own (kla/notifications/tests/matrix.py).
MATRIX.update({name: Rule(expect, kwargs, data) for name, (expect, kwargs, data) in NOTIFICATION_RULES.items()})
# Dashboards by level and their API (kla/dashboards/tests/matrix.py).
MATRIX.update({name: Rule(expect, kwargs, data) for name, (expect, kwargs, data) in DASHBOARD_RULES.items()})
# People who come and go: importing users, handing over and deactivating (kla/people/tests/matrix.py).
MATRIX.update({name: Rule(expect, kwargs, data) for name, (expect, kwargs, data) in PEOPLE_RULES.items()})


def _url_names(patterns: list[Any], namespace: str | None = None) -> Iterator[str]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace
            yield from _url_names(p.url_patterns, f"{namespace}:{ns}" if namespace and ns else (ns or namespace))
        elif isinstance(p, URLPattern):
            assert p.name, f"URL pattern {p.pattern} has no name"
            yield f"{namespace}:{p.name}" if namespace else p.name


def test_every_url_pattern_has_a_rule() -> None:
    names = set(_url_names(get_resolver().url_patterns))
    missing = sorted(names - set(MATRIX))
    stale = sorted(set(MATRIX) - names)
    assert not missing, f"URL patterns without an access rule in MATRIX: {missing}"
    assert not stale, f"MATRIX entries for URLs that no longer exist: {stale}"


CASES = [(name, method, persona) for name, rule in MATRIX.items() for method in rule.expect for persona in ALL]


@pytest.mark.parametrize(("name", "method", "persona"), CASES)
def test_persona_gets_the_expected_answer(name: str, method: str, persona: str, client_for, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    rule = MATRIX[name]
    url = reverse(name, kwargs=rule.kwargs())
    client = client_for(persona)
    response = client.get(url) if method == "GET" else client.post(url, rule.data)
    expected = rule.expect[method][persona]
    assert response.status_code == expected, f"{method} {url} as {persona}: {response.status_code} != {expected}"
    if expected == 302 and persona == "anonymous" and name.startswith("accounts:") and method == "GET":
        assert response.url.startswith(reverse("accounts:login"))
