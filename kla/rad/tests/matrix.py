"""The expected answer of every RAD KLA page for every persona (used by tests/test_persona_matrix.py), with the
objects of Palembang's plan it needs, built through the real services (kla/rad/tests/builders.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from kla.evidence.tests import files
from kla.rad import services
from kla.rad.models import Node, Plan, Realisation
from kla.rad.services.basis import version_adopt_with_file
from kla.rad.services.evidence_files import realisation_file_add
from kla.rad.tests import builders as b

BASIS = services.Basis("perwal", "12 Tahun 2025", dt.date(2025, 3, 3))
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


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ALL, status)


def read(status: int = 200) -> dict[str, int]:
    """Palembang's plan: its users, its province and the ministry read it; others 404; anonymous: login."""
    return {**everyone(status), "anonymous": 302, "no_role": 404, "other_secretariat": 404}


def write(ok: int = 302) -> dict[str, int]:
    """Only Palembang's secretariat draws up its plan (the province only its own): readers 403, others 404."""
    return {**read(403), "secretariat": ok}


def realise(ok: int = 302) -> dict[str, int]:
    """Realisation of Disdukcapil's activity: the secretariat and Disdukcapil's operator; other readers 403."""
    return {**read(403), "secretariat": ok, "opd": ok}


def _region() -> dict[str, Any]:
    return {"code": b.PALEMBANG}


def _built(adopt: bool = False) -> b.Built:
    """Palembang's plan, built once: the seal canary asks for every URL's objects in one database, so a second
    call finds the plan (adopting it when asked) instead of drawing up an overlapping one."""
    plan = Plan.objects.filter(region_id=b.PALEMBANG, start_year=2025).first()
    if plan is None:
        return b.built_plan(adopt=adopt)
    version = plan.versions.order_by("-number").first()
    assert version is not None
    if adopt and version.is_draft:
        services.version_adopt(version=version, basis=BASIS, by=None)
    nodes = {n.name: n for n in Node.objects.filter(version=version)}
    play, split = nodes["Pembangunan ruang bermain ramah anak"], nodes["Sosialisasi dokumen kependudukan anak"]
    subs = [nodes["Sosialisasi di sekolah"], nodes["Sosialisasi di kelurahan"]]
    birth = nodes["Layanan akta kelahiran keliling"]
    return b.Built(plan, version, play, play.outputs.get(), birth, split, subs)


def _draft() -> dict[str, Any]:
    return {"pk": _built().plan.pk}


def _adopted() -> dict[str, Any]:
    return {"pk": _built(adopt=True).plan.pk}


def _version() -> dict[str, Any]:
    return {"pk": _built().version.pk}


def _node() -> dict[str, Any]:
    return {"pk": _built().play.pk}


def _output() -> dict[str, Any]:
    return {"pk": _built().play_output.pk}


def _birth() -> dict[str, Any]:
    return {"pk": _built(adopt=True).birth.pk}  # Disdukcapil's, the agency of the opd persona


def _document() -> dict[str, Any]:
    """The basis file of the draft's adoption (of a revision when the plan is adopted already)."""
    built = _built()
    version = built.version if built.version.is_draft else services.revision_start(plan=built.plan, by=None)
    upload = SimpleUploadedFile("perwal.pdf", files.pdf())
    adopted = version_adopt_with_file(version=version, basis=BASIS, upload=upload, by=None)
    assert adopted.basis_document is not None
    return {"pk": adopted.basis_document.pk}


def _realised() -> Realisation:
    """Disdukcapil's birth-certificate activity recorded for 2025's first quarter (once per database)."""
    birth = _built(adopt=True).birth
    found = Realisation.objects.filter(plan_id=birth.version.plan_id, activity_key=birth.key).first()
    if found is not None:
        return found
    spent = {"apbd_kabkota": "10.000.000"}
    return services.realisation_record(node=birth, year=2025, quarter=1, spent=spent, by=None, today=b.TODAY)


def _realisation() -> dict[str, Any]:
    return {"pk": _realised().pk}


def _realisation_file() -> dict[str, Any]:
    """A photo of that quarter (a new one when an earlier case removed it)."""
    row = _realised()
    found = row.files.filter(removed_at__isnull=True).first()
    if found is None:
        upload = SimpleUploadedFile("akta.jpg", files.jpeg(), content_type="image/jpeg")
        found = realisation_file_add(realisation=row, upload=upload, by=None)
    return {"pk": found.pk}


READ_ONLY = {"POST": everyone(405)}
POST_ONLY = {"GET": everyone(405)}

# Empty bodies: the secretariat's form is refused on the page (422, nothing written); where an empty body is a
# valid request (budget cleared, a node or output removed, a revision, an empty quarter) it redirects (302).
RULES: dict[str, tuple[dict[str, dict[str, int]], Callable[[], dict[str, Any]], dict[str, Any]]] = {
    "rad:index": ({"GET": {**everyone(200), "anonymous": 302, "no_role": 404}, **READ_ONLY}, dict, {}),
    "rad:region": ({"GET": read(), **READ_ONLY}, _region, {}),
    "rad:plan_create": ({"POST": write(422), **POST_ONLY}, _region, {}),
    "rad:plan": ({"GET": read(), **READ_ONLY}, _draft, {}),
    "rad:programme_add": ({"POST": write(422), **POST_ONLY}, _draft, {}),
    "rad:revision_start": ({"POST": write(), **POST_ONLY}, _adopted, {}),
    "rad:version_adopt": ({"POST": write(422), **POST_ONLY}, _version, {}),
    "rad:node": ({"GET": read(), **READ_ONLY}, _node, {}),
    "rad:node_update": ({"POST": write(422), **POST_ONLY}, _node, {}),
    "rad:child_add": ({"POST": write(422), **POST_ONLY}, _node, {}),
    "rad:node_remove": ({"POST": write(), **POST_ONLY}, _node, {}),
    "rad:budget_set": ({"POST": write(), **POST_ONLY}, _node, {}),
    "rad:output_add": ({"POST": write(422), **POST_ONLY}, _node, {}),
    "rad:output_update": ({"POST": write(422), **POST_ONLY}, _output, {}),
    "rad:output_remove": ({"POST": write(), **POST_ONLY}, _output, {}),
    "rad:realisation": ({"GET": read(), **READ_ONLY}, _adopted, {}),
    "rad:realisation_record": ({"GET": realise(200), "POST": realise()}, _birth, {"tahun": "2025", "triwulan": "1"}),
    "rad:budget": ({"GET": read(), **READ_ONLY}, _adopted, {}),
    "rad:region_budget": ({"POST": write(422), **POST_ONLY}, _adopted, {}),
    "rad:document": ({"GET": read(), **READ_ONLY}, _document, {}),
    # An upload without a file goes back to the quarter with the message (302); other agencies and readers 403.
    "rad:realisation_file_upload": ({"POST": realise(), **POST_ONLY}, _realisation, {}),
    "rad:realisation_file": ({"GET": read(), **READ_ONLY}, _realisation_file, {}),
    "rad:realisation_file_remove": ({"POST": realise(), **POST_ONLY}, _realisation_file, {}),
}
