"""Property-based tests of /api/v1 against its own OpenAPI schema (schemathesis).

The schema is loaded from the real Django WSGI application (`/api/v1/openapi.json`). Every operation is called
in-process with generated valid and invalid input, as several personas, and every response goes through all of
schemathesis's checks: no server error, a documented status code, a documented content type, a body matching the
declared schema, invalid input refused, valid input not refused, and so on.

Random ids almost never name a real evaluation or entry, so a hook swaps most generated ids and codes for real
ones from the demo data: the happy paths and the business refusals are fuzzed too, not only the 404s. Each case
runs in a savepoint that is rolled back, so the writes the fuzzer makes (answers, verdicts, evidence, workflow
steps) never reach the next case, and the test's own transaction keeps the session's demo data intact.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from config.wsgi import application
from kla.api.evaluations import EvidenceType
from kla.api.schemas import VerdictIn
from kla.indicators.framework_schema import EVIDENCE_TYPE_LABELS
from kla.verification.models import Verdict

WRITE_STATUSES = ["2xx", 401, 403, 404, 409, 422]
CONFIG = schemathesis.Config.from_dict(
    {
        # The personas' tokens are sent by the test (below), so schemathesis neither generates an Authorization
        # header nor treats a request without its own as invalid input.
        "generation": {"with-security-parameters": False},
        "operations": [
            {
                # multipart/form-data carries every field as text, so the negative cases' "wrong types" (a null,
                # an object for `issuer`) reach the server as valid strings and are rightly accepted: a known
                # class of schemathesis false positives. The upload is fuzzed with valid input only; its refusals
                # (missing file, unknown type, hostile files) are pinned in test_api_evaluations and kla/evidence.
                "include-path-regex": "/evidence/\\{question_code\\}$",
                "include-method": "POST",
                "generation": {"mode": "positive"},
                "checks": {"positive_data_acceptance": {"expected-statuses": WRITE_STATUSES}},
            },
            {
                # A well-formed write can still break a rule the schema cannot express (the evaluation's stage, a
                # question's maximum, an unreadable file, an entry of another evaluation): the API refuses it with
                # 422 and a message, as documented on every write. Reads keep the stricter default.
                "include-method": ["POST", "PUT"],
                "checks": {
                    "positive_data_acceptance": {"expected-statuses": WRITE_STATUSES},
                },
            },
        ],
    }
)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)

DEMO = "evaluasi-kla-demo"
# anonymous and a bad token: every operation must document the 401; the ministry verifier sees every evaluation
# and decides verdicts; the Palembang secretariat writes answers and evidence and sees only its own kab/kota.
PERSONAS = ["anonymous", "bad_token", "ministry_verifier", "secretariat"]

# Real values for path parameters, filled per test by the `real_values` fixture (the hook below reads them).
REAL: dict[str, Any] = {}


@schema.hook
def flatmap_path_parameters(context: schemathesis.HookContext, path_parameters: dict[str, Any]) -> Any:
    """Three times in four, swap generated ids and codes for real ones (only values that are valid as generated,
    so a negative case stays negative for the reason schemathesis recorded)."""
    if not REAL or not path_parameters:
        return st.just(path_parameters)
    path = context.operation.path if context.operation is not None else ""
    return _with_real_values(path, dict(path_parameters))


@st.composite
def _with_real_values(draw: st.DrawFn, path: str, params: dict[str, Any]) -> dict[str, Any]:
    if draw(st.integers(0, 3)) == 0:
        return params

    def is_int(name: str) -> bool:
        return isinstance(params.get(name), int) and not isinstance(params.get(name), bool)

    def is_str(name: str) -> bool:
        return isinstance(params.get(name), str)

    if is_int("evaluation_id"):
        params["evaluation_id"] = draw(st.sampled_from(REAL["evaluations"]))
    if is_int("entry_id"):
        entry_id, codes = draw(st.sampled_from(REAL["entries"]))
        params["entry_id"] = entry_id
        if is_str("question_code"):
            params["question_code"] = draw(st.sampled_from(codes))
    if is_int("evidence_id"):
        params["evidence_id"] = draw(st.sampled_from(REAL["evidence"]))
    if is_str("step"):
        params["step"] = draw(st.sampled_from(REAL["steps"]))
    if is_str("cycle_code"):
        params["cycle_code"] = draw(st.sampled_from(REAL["cycles"]))
    if is_str("code"):
        pool = REAL["frameworks"] if path.startswith("/api/v1/frameworks/") else REAL["regions"]
        params["code"] = draw(st.sampled_from(pool))
    return params


@pytest.fixture
def in_process(settings: Any, tmp_path: Path) -> Iterator[None]:
    """Evidence files go to a temporary folder; the test's transaction survives the requests (Django's WSGI
    handler closes the connection at the end of each request, which would end the transaction and, on
    PostgreSQL, lose it)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def real_values(in_process: None, user_of: Any) -> Iterator[None]:
    from kla.evaluations.models import Cycle, Entry, Evaluation
    from kla.evaluations.workflow import Step
    from kla.evidence import services as evidence_services
    from kla.evidence.tests import files
    from kla.indicators.models import Framework

    evaluations = list(Evaluation.objects.filter(cycle__code=DEMO).order_by("region_id").values_list("pk", "region_id"))
    palembang = next(pk for pk, region in evaluations if region == "16.71")
    entries = [
        e
        for e in Entry.objects.filter(evaluation__cycle__code=DEMO, evaluation__region_id__in=["16.71", "16.74"])
        .select_related("indicator")
        .order_by("evaluation__region_id", "indicator__position")
        if e.indicator.number in (1, 4, 24)
    ]
    entry = next(e for e in entries if e.evaluation_id == palembang and e.indicator.number == 4)
    evidence = evidence_services.evidence_upload(
        entry=entry,
        question=entry.indicator.questions.get(code="4.1"),
        upload=SimpleUploadedFile("rekap.pdf", files.pdf(pages=1)),
        evidence_type="report",
        meta={"doc_number": "1/2026", "issuer": "Dinas PPPA"},
        by=user_of("secretariat"),
    ).evidence
    REAL.update(
        evaluations=[palembang, evaluations[0][0], evaluations[-1][0]],
        entries=[(e.pk, [q.code for q in e.indicator.questions.all()]) for e in entries],
        evidence=[evidence.pk],
        steps=[s.value for s in Step],
        cycles=list(Cycle.objects.order_by("code").values_list("code", flat=True)),
        regions=["16", "16.71", "16.74", "11.01.01"],
        frameworks=list(Framework.objects.order_by("code").values_list("code", flat=True)),
    )
    try:
        yield
    finally:
        REAL.clear()


@pytest.fixture(params=PERSONAS)
def auth_headers(request: pytest.FixtureRequest, user_of: Any) -> dict[str, str]:
    from kla.accounts.services import token_create

    if request.param == "anonymous":
        return {}
    if request.param == "bad_token":
        return {"Authorization": "Bearer kla_not-a-real-token"}
    _token, plain = token_create(user=user_of(request.param), name="fuzz", by=None)
    return {"Authorization": f"Bearer {plain}"}


@pytest.mark.slow
@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=15,
    derandomize=True,  # the same cases on every run and in CI
    deadline=None,
    # the function-scoped db/token fixtures are shared by the examples on purpose: each case is rolled back
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_conforms_to_its_schema(case: schemathesis.Case, auth_headers: dict[str, str], real_values: None) -> None:
    with transaction.atomic():
        case.call_and_validate(headers=auth_headers)
        transaction.set_rollback(True)


def test_enumerations_in_the_schema_are_the_models() -> None:
    assert set(get_args(EvidenceType)) == set(EVIDENCE_TYPE_LABELS)
    assert set(get_args(VerdictIn.model_fields["decision"].annotation)) == set(Verdict.Decision.values)


NUL = "a\x00b"
HUGE = 2**70


def _odd_cases(entry_id: int, evaluation_id: int) -> list[tuple[str, str, dict[str, Any]]]:
    """Input the fuzzer reaches only by luck: NUL characters (PostgreSQL refuses them), ids and offsets beyond
    64 bits (SQLite refuses them)."""
    answer = "/api/v1/entries/{entry_id}/answers/{question_code}"
    return [
        ("GET", "/api/v1/frameworks/{code}", {"path_parameters": {"code": NUL}}),
        ("GET", "/api/v1/regions/", {"query": {"q": NUL}}),
        ("GET", "/api/v1/regions/", {"query": {"parent": NUL}}),
        ("GET", "/api/v1/regions/", {"query": {"offset": HUGE}}),
        ("GET", "/api/v1/results/{cycle_code}", {"path_parameters": {"cycle_code": NUL}}),
        ("GET", "/api/v1/evaluations/{evaluation_id}", {"path_parameters": {"evaluation_id": HUGE}}),
        ("GET", "/api/v1/evaluations/", {"query": {"offset": HUGE}}),
        ("PUT", answer, {"path_parameters": {"entry_id": entry_id, "question_code": NUL}, "body": {"value": {}}}),
        (
            "PUT",
            answer,
            {
                "path_parameters": {"entry_id": entry_id, "question_code": "4.1"},
                "body": {"value": {"numerator": NUL, "denominator": "1"}, "justification": NUL},
            },
        ),
        (
            "PUT",
            "/api/v1/entries/{entry_id}/verdicts/{question_code}",
            {
                "path_parameters": {"entry_id": entry_id, "question_code": "4.1"},
                "body": {"decision": "returned", "reason": NUL},
            },
        ),
        (
            "POST",
            "/api/v1/evaluations/{evaluation_id}/accept",
            {"path_parameters": {"evaluation_id": evaluation_id}, "body": {"entries": [HUGE]}},
        ),
        (
            "POST",
            "/api/v1/evaluations/{evaluation_id}/return",
            {
                "path_parameters": {"evaluation_id": evaluation_id},
                "body": {"entries": [entry_id], "reason": NUL, "deadline": "2099-01-01T00:00:00+07:00"},
            },
        ),
        (
            "POST",
            "/api/v1/entries/{entry_id}/evidence/{question_code}",
            {
                "path_parameters": {"entry_id": entry_id, "question_code": "4.1"},
                "body": {"file": b"%PDF-1.4", "evidence_type": "report", "issuer": NUL},
                "media_type": "multipart/form-data",
            },
        ),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["ministry_verifier", "secretariat"])
def test_odd_input_is_refused_as_documented(persona: str, user_of: Any, real_values: None) -> None:
    """Each odd request is refused with a documented status and body, never a server error (all checks run)."""
    from kla.accounts.services import token_create

    _token, plain = token_create(user=user_of(persona), name="fuzz", by=None)
    entry_id = next(pk for pk, codes in REAL["entries"] if "4.1" in codes)
    for method, path, parts in _odd_cases(entry_id, REAL["evaluations"][0]):
        case = schema[path][method].Case(**parts)
        with transaction.atomic():
            response = case.call_and_validate(headers={"Authorization": f"Bearer {plain}"})
            transaction.set_rollback(True)
        assert response.status_code < 500, (method, path, parts)
