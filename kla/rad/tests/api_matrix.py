"""RAD KLA's /api/v1 and spreadsheet URLs in the persona matrix (tests/test_persona_matrix.py) and the IDOR replay
(tests/test_idor.py): Palembang's objects built through the real services, the expected answers, the bodies that make
the owner's request succeed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from kla.rad import services
from kla.rad.models import Node, Output, Plan
from kla.rad.tests import builders as b

ALL = [
    "anonymous",
    "no_role",
    "opd",
    "secretariat",
    "other_secretariat",
    "province",
    "ministry_verifier",
    "field_verifier",
    "ministry_admin",
]
DRAFT_START = 2040  # the draft plan of the write replays, clear of any plan the demo or the builders draw up


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ALL, status)


def api_read() -> dict[str, int]:
    """Palembang's plans: its users, its province and the ministry read them; others 404; no credentials 401."""
    return {**everyone(200), "anonymous": 401, "no_role": 404, "other_secretariat": 404}


def adopted_plan() -> Plan:
    """Palembang's plan in force for this year (the builders' 2025–2029 plan, adopted), built once."""
    year = timezone.localdate().year
    found = Plan.objects.filter(region_id=b.PALEMBANG, start_year__lte=year, end_year__gte=year).first()
    return found or b.built_plan(adopt=True).plan


def birth() -> Node:
    """A funded activity of Disdukcapil (the opd persona's agency) in the adopted plan."""
    plan = adopted_plan()
    return (
        Node.objects.filter(
            version__plan=plan,
            version__status="adopted",
            agency__kind="DISDUKCAPIL",
            budget_lines__isnull=False,
            children__isnull=True,
        )
        .order_by("pk")
        .first()
    ) or _missing()


def _missing() -> Node:
    raise AssertionError("Palembang's plan has no funded Disdukcapil activity")


def draft_activity() -> Node:
    """An activity with an output in a draft plan of Palembang (2040–2044)."""
    found = Node.objects.filter(
        version__plan__region_id=b.PALEMBANG, version__plan__start_year=DRAFT_START, level="activity"
    ).first()
    if found is not None:
        return found
    plan = b.plan(start=DRAFT_START)
    version = plan.versions.get()
    programme = services.node_add(
        version=version, level="programme", indicator_id=b.indicators()[0].pk, name="Program uji", by=None
    )
    node = services.node_add(
        version=version,
        level="activity",
        parent=programme,
        agency_id=b.agency("DISDUKCAPIL").pk,
        name="Kegiatan uji",
        by=None,
    )
    services.output_add(node=node, name="Keluaran uji", unit="dokumen", by=None)
    return node


def draft_output() -> Output:
    return draft_activity().outputs.get()


# --- persona matrix ---------------------------------------------------------------------------------------------

MatrixRules = dict[str, tuple[dict[str, dict[str, int]], Callable[[], dict[str, Any]], dict[str, Any]]]


def _region() -> dict[str, Any]:
    return {"code": b.PALEMBANG}


def _plan() -> dict[str, Any]:
    return {"plan_id": adopted_plan().pk}


def _draft_plan() -> dict[str, Any]:
    return {"plan_id": draft_activity().version.plan_id}


def _node() -> dict[str, Any]:
    return {"node_id": draft_activity().pk}


def _birth() -> dict[str, Any]:
    return {"node_id": birth().pk}


def _output() -> dict[str, Any]:
    return {"output_id": draft_output().pk}


WRITE = {"GET": everyone(405), "POST": everyone(401)}  # a browser session may not write through the API
PUT_ONLY = {"GET": everyone(405), "POST": everyone(405)}
API_RULES: MatrixRules = {
    # GET and POST .../action-plans share the URL, so both names expect both methods
    "api:rad_plans": ({"GET": api_read(), "POST": everyone(401)}, _region, {}),
    "api:rad_plan_create": ({"GET": api_read(), "POST": everyone(401)}, _region, {}),
    "api:rad_plan_detail": ({"GET": api_read(), "POST": everyone(405)}, _plan, {}),
    "api:rad_plan_budget": ({"GET": api_read(), "POST": everyone(405)}, _plan, {}),
    "api:rad_node_add": (WRITE, _draft_plan, {}),
    "api:rad_output_add": (WRITE, _node, {}),
    "api:rad_budget_set": (PUT_ONLY, _node, {}),
    "api:rad_targets_set": (PUT_ONLY, _output, {}),
    "api:rad_realisation_record": (WRITE, _birth, {}),
}
RULES: MatrixRules = {**API_RULES}


# --- IDOR replay ---------------------------------------------------------------------------------------------------

Entry = tuple[tuple[Any, ...], dict[str, Any]]


def _ids(build: Callable[[], Any], key: str) -> Callable[[object], dict[str, Any]]:
    """Region A's object (the builders above find it again once built, so every call names the same one)."""
    return lambda a: {key: build().pk}


def _replay_region(a: object) -> dict[str, Any]:
    return {"code": b.PALEMBANG}


def _plan_body(a: object) -> dict[str, Any]:
    return {"framework": b.framework().code, "start_year": 2095, "end_year": 2099}


def _node_body(a: object) -> dict[str, Any]:
    return {"level": "programme", "name": "Program baru", "indicator_id": b.indicators()[1].pk}


def _budget_body(a: object) -> dict[str, Any]:
    return {"cells": [{"year": DRAFT_START, "source": "apbd_kabkota", "amount": "1.000.000"}]}


def _realisation_body(a: object) -> dict[str, Any]:
    year = min(max(timezone.localdate().year, 2025), 2029)
    return {"year": year, "quarter": 1, "spent": {"apbd_kabkota": "1.000"}, "explanation": "Uji."}


REPLAYS: list[Entry] = [
    (("api:rad_plans", "GET", _replay_region, "opd", 200), {}),
    (("api:rad_plan_create", "POST", _replay_region, "secretariat", 201), {"data": _plan_body, "writes": True}),
    (("api:rad_plan_detail", "GET", _ids(adopted_plan, "plan_id"), "opd", 200), {}),
    (("api:rad_plan_budget", "GET", _ids(adopted_plan, "plan_id"), "opd", 200), {}),
    (
        ("api:rad_node_add", "POST", lambda a: {"plan_id": draft_activity().version.plan_id}, "secretariat", 201),
        {"data": _node_body, "writes": True},
    ),
    (
        ("api:rad_output_add", "POST", _ids(draft_activity, "node_id"), "secretariat", 201),
        {"data": lambda a: {"name": "Keluaran baru", "unit": "unit"}, "writes": True},
    ),
    (
        ("api:rad_budget_set", "PUT", _ids(draft_activity, "node_id"), "secretariat", 200),
        {"data": _budget_body, "writes": True},
    ),
    (
        ("api:rad_targets_set", "PUT", _ids(draft_output, "output_id"), "secretariat", 200),
        {"data": lambda a: {"targets": {str(DRAFT_START): "5"}}, "writes": True},
    ),
    (
        ("api:rad_realisation_record", "POST", _ids(birth, "node_id"), "opd", 200),
        {"data": _realisation_body, "writes": True},
    ),
]


# --- the spreadsheet pages and the recap request ------------------------------------------------------------------

EMPTY_DRAFT_START = 2045  # an empty draft the plan import may fill


def _read_page(status: int = 200) -> dict[str, int]:
    return {**everyone(status), "anonymous": 302, "no_role": 404, "other_secretariat": 404}


def _manage_page(ok: int) -> dict[str, int]:
    """Palembang's secretariat draws up its plan; other readers 403; other regions 404."""
    return {**_read_page(403), "secretariat": ok}


def _realise_page(ok: int) -> dict[str, int]:
    """The secretariat and the responsible agency's operator record realisation; other readers 403."""
    return {**_read_page(403), "secretariat": ok, "opd": ok}


def _page_plan() -> dict[str, Any]:
    return {"pk": adopted_plan().pk}


PAGE_RULES: MatrixRules = {
    "rad_spreadsheet:plan_template": ({"GET": _manage_page(200), "POST": everyone(405)}, _page_plan, {}),
    # an empty form: the page answers with the form's errors (422)
    "rad_spreadsheet:plan_import": ({"GET": _manage_page(200), "POST": _manage_page(422)}, _page_plan, {}),
    "rad_spreadsheet:realisation_template": ({"GET": _realise_page(200), "POST": everyone(405)}, _page_plan, {}),
    "rad_spreadsheet:realisation_import": ({"GET": _realise_page(200), "POST": _realise_page(422)}, _page_plan, {}),
    # whoever reads Palembang's plans may ask for its recap (queued: a redirect to the Laporan page)
    "reports:rad_recap": (
        {"GET": everyone(405), "POST": _read_page(302)},
        lambda: {"code": b.PALEMBANG},
        {"kind": "rad-rekap-rencana"},
    ),
}
RULES.update(PAGE_RULES)


def empty_draft() -> Plan:
    found = Plan.objects.filter(region_id=b.PALEMBANG, start_year=EMPTY_DRAFT_START).first()
    return found or b.plan(start=EMPTY_DRAFT_START)


def _plan_upload(a: object) -> dict[str, Any]:
    from kla.rad import spreadsheet
    from kla.rad.tests.test_spreadsheet import fill

    indicator = b.indicators()[0]
    row = [indicator.code, "Program", None, "Kegiatan", None, None, None, b.agency("DPUPR").name]
    row += [None, None, EMPTY_DRAFT_START, "APBN", "1.000.000", None]
    return {"file": fill(spreadsheet.plan_template(empty_draft()), [row])}


def _realisation_upload(a: object) -> dict[str, Any]:
    from kla.accounts.models import User
    from kla.rad import spreadsheet_import
    from kla.rad.tests.test_spreadsheet import fill

    template = spreadsheet_import.realisation_template(adopted_plan(), User.objects.get(username="opd-palembang"))
    body = _realisation_body(a)
    row = [str(birth().key), None, None, "APBD kabupaten/kota", body["year"], 1, "1.000", None, "Uji."]
    return {"file": fill(template, [row])}


REPLAYS += [
    (("rad_spreadsheet:plan_template", "GET", lambda a: {"pk": empty_draft().pk}, "secretariat", 200), {}),
    (
        ("rad_spreadsheet:plan_import", "POST", lambda a: {"pk": empty_draft().pk}, "secretariat", 302),
        {"data": _plan_upload, "writes": True, "multipart": True},
    ),
    (("rad_spreadsheet:realisation_template", "GET", lambda a: {"pk": adopted_plan().pk}, "opd", 200), {}),
    (
        ("rad_spreadsheet:realisation_import", "POST", lambda a: {"pk": adopted_plan().pk}, "opd", 302),
        {"data": _realisation_upload, "writes": True, "multipart": True},
    ),
    (
        ("reports:rad_recap", "POST", _replay_region, "secretariat", 302),
        {"data": lambda a: {"kind": "rad-rekap-anggaran"}, "writes": True},
    ),
]
