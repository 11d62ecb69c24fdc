"""Open data of published results through the HTTP stack: the files read back equal the published rows, nothing
sealed or unpublished is in them, ETag and conditional GET, the data dictionary and the licence."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kla.evaluations.models import Cycle, Evaluation
from kla.evaluations.seal import ScoreStage
from kla.indicators.selectors import band_rules
from kla.results import opendata
from kla.results.models import StageScore
from kla.results.selectors import portal
from kla.results.tests.test_views import DEMO, SEALED, determine, palembang, publish

pytestmark = pytest.mark.django_db

FORMATS = ("csv", "xlsx", "json")
COLUMNS = list(opendata.COLUMN_NAMES)


def url(fmt: str, cycle: str | None = DEMO) -> str:
    if cycle is None:
        return reverse("results:open_data_all", kwargs={"fmt": fmt})
    return reverse("results:open_data", kwargs={"cycle_code": cycle, "fmt": fmt})


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def text_of(value: Any) -> str:
    """A cell as the CSV writes it, for comparing every format the same way."""
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, float):
        return f"{Decimal(str(value)):.2f}"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def read_csv(content: bytes) -> list[dict[str, str]]:
    assert not content.startswith(b"\xef\xbb\xbf"), "UTF-8 without a byte-order mark"
    reader = csv.reader(io.StringIO(content.decode("utf-8")))
    header = next(reader)
    assert header == COLUMNS
    return [dict(zip(header, line, strict=True)) for line in reader]


def read_xlsx(content: bytes) -> list[dict[str, str]]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    score = COLUMNS.index("nilai_akhir")  # a whole number reads back as an int: a decimal column all the same
    return [
        dict(
            zip(
                COLUMNS,
                (text_of(float(v) if i == score and v is not None else v) for i, v in enumerate(line)),
                strict=True,
            )
        )
        for line in rows[1:]
    ]


def read_json(content: bytes) -> list[dict[str, str]]:
    data = json.loads(content)
    assert [d["column"] for d in data["dictionary"]] == COLUMNS
    return [{k: text_of(v) for k, v in row.items()} for row in data["rows"]]


READERS = {"csv": read_csv, "xlsx": read_xlsx, "json": read_json}


def published_rows(cycle: Cycle) -> list[dict[str, str]]:
    """What the public results page shows of the cycle, read through its selector, independently of the files."""
    rows = []
    for v in portal.cycle_results(AnonymousUser(), cycle, bands=band_rules(cycle.framework_id)):
        region, predicate = v.evaluation.region, v.predicate
        assert cycle.release_at is not None
        rows.append(
            {
                "tahun": str(cycle.year),
                "kode_siklus": cycle.code,
                "siklus": cycle.name,
                "tanggal_pengumuman": cycle.release_at.astimezone(ZoneInfo("Asia/Jakarta")).date().isoformat(),
                "kode_provinsi": region.parent.code,
                "provinsi": region.parent.name,
                "kode_wilayah": region.code,
                "wilayah": region.name,
                "kode_predikat": predicate.code if predicate else "",
                "predikat": predicate.name if predicate else "",
                "keterangan": "" if predicate else v.result_label,
                "nilai_akhir": text_of(v.scores.get(ScoreStage.FINAL)),
                "lisensi": "CC BY 4.0",
            }
        )
    return rows


@pytest.fixture
def published() -> Cycle:
    """Palembang Madya (654.32, sealed from the public: the cycle publishes no details), Lubuklinggau determined
    below the lowest band (480.00), the others unfinished."""
    determine(palembang())
    lubuk = Evaluation.objects.get(cycle__code=DEMO, region_id="16.73")
    determine(lubuk, totals={ScoreStage.MINISTRY_VA: "480.00", ScoreStage.FINAL: "480.00"})
    publish(palembang().cycle)
    return Cycle.objects.select_related("framework").get(code=DEMO)


@pytest.mark.parametrize("fmt", FORMATS)
def test_files_read_back_equal_the_published_rows(published: Cycle, fmt: str) -> None:
    response = Client().get(url(fmt))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="hasil-kla-{DEMO}.{fmt}"'
    rows = READERS[fmt](body(response))
    expected = published_rows(published)
    assert rows == expected
    assert len(rows) == Evaluation.objects.filter(cycle=published).count() == 17
    palembang_row = next(r for r in rows if r["kode_wilayah"] == "16.71")
    assert (palembang_row["predikat"], palembang_row["nilai_akhir"]) == ("Madya", "")
    lubuk = next(r for r in rows if r["kode_wilayah"] == "16.73")
    assert lubuk["predikat"] == "" and lubuk["keterangan"] == "Belum berpredikat"


@pytest.mark.parametrize("fmt", FORMATS)
def test_all_years_file_holds_every_released_cycle_oldest_first(published: Cycle, fmt: str) -> None:
    older = Cycle.objects.create(
        code="evaluasi-kla-2025",
        name="Evaluasi KLA 2025",
        year=2025,
        framework=published.framework,
        published_at=timezone.now() - dt.timedelta(days=300),
        release_at=timezone.now() - dt.timedelta(days=300),
    )
    evaluation = Evaluation.objects.create(cycle=older, region_id="16.72", status=Evaluation.Status.DETERMINED)
    StageScore.objects.create(evaluation=evaluation, stage="final", total=Decimal("712.00"), framework_code="x")
    Cycle.objects.create(code="belum-diumumkan", name="Belum", year=2027, framework=published.framework)
    rows = READERS[fmt](body(Client().get(url(fmt, None))))
    assert rows == published_rows(older) + published_rows(published)
    assert rows[0]["predikat"] == "Nindya" and {r["kode_siklus"] for r in rows} == {older.code, DEMO}


@pytest.mark.parametrize("fmt", FORMATS)
def test_public_details_put_the_final_score_with_a_decimal_point(published: Cycle, fmt: str) -> None:
    Cycle.objects.filter(pk=published.pk).update(public_details=True)
    rows = READERS[fmt](body(Client().get(url(fmt))))
    assert next(r for r in rows if r["kode_wilayah"] == "16.71")["nilai_akhir"] == "654.32"
    assert rows == published_rows(Cycle.objects.get(pk=published.pk))


def _texts(client: Client, fmt: str, cycle: str | None = DEMO) -> str:
    content = body(client.get(url(fmt, cycle)))
    if fmt == "xlsx":
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            content = b"".join(z.read(n) for n in z.namelist())
    return content.decode(errors="replace")


@pytest.mark.parametrize("persona", ["anonymous", "secretariat", "province", "ministry_admin"])
def test_no_sealed_score_in_any_file_whoever_asks(published: Cycle, persona: str, client_for: Any) -> None:
    """The files are the public's: even the ministry downloads no score the public may not see."""
    client = client_for(persona)
    for fmt in FORMATS:
        for cycle in (DEMO, None):
            text = _texts(client, fmt, cycle)
            assert "Madya" in text
            for value in [*SEALED.values(), "480.00", "612.34"]:
                assert value not in text and value.replace(".", ",") not in text, (fmt, value)


@pytest.mark.parametrize("fmt", FORMATS)
def test_unpublished_unreleased_and_unknown_cycles_are_404(fmt: str) -> None:
    determine(palembang())
    client = Client()
    assert client.get(url(fmt)).status_code == 404  # not published
    assert client.get(url(fmt, "tidak-ada")).status_code == 404
    publish(palembang().cycle, release_at=timezone.now() + dt.timedelta(hours=2))  # confirmed, not yet released
    assert client.get(url(fmt)).status_code == 404
    assert client.post(url(fmt)).status_code == 405


def test_unknown_format_is_404(published: Cycle) -> None:
    assert Client().get(f"/hasil/{DEMO}/data.pdf").status_code == 404
    assert Client().get("/hasil/data.txt").status_code == 404


def test_no_released_cycle_gives_only_the_header() -> None:
    assert body(Client().get(url("csv", None))).decode().splitlines() == [",".join(COLUMNS)]
    assert json.loads(body(Client().get(url("json", None))))["rows"] == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_etag_conditional_get_and_caching(published: Cycle, fmt: str) -> None:
    client = Client()
    first = client.get(url(fmt))
    tag = first["ETag"]
    assert tag.startswith('"') and "max-age=300" in first["Cache-Control"] and "public" in first["Cache-Control"]
    assert 'rel="license"' in first["Link"]
    again = client.get(url(fmt), headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == tag
    other = Evaluation.objects.get(cycle=published, region_id="16.72")
    StageScore.objects.create(evaluation=other, stage="final", total=Decimal("720.00"), framework_code="x")
    changed = client.get(url(fmt), headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed["ETag"] != tag
    assert client.get(url(fmt, None))["ETag"] not in (tag, changed["ETag"])


def test_each_format_has_its_own_etag_and_a_signed_in_copy_is_not_stored(published: Cycle, client_for: Any) -> None:
    tags = {Client().get(url(fmt))["ETag"] for fmt in FORMATS}
    assert len(tags) == 3
    signed_in = client_for("secretariat").get(url("csv"))
    assert "no-store" in signed_in["Cache-Control"] and "private" in signed_in["Cache-Control"]


def test_dictionary_and_licence_in_each_file_and_on_the_page(published: Cycle) -> None:
    client = Client()
    data = json.loads(body(client.get(url("json"))))
    assert data["licence"]["name"] == "CC BY 4.0" and data["cycles"] == [DEMO]
    assert "CC BY 4.0" in data["licence"]["text"] and data["notes"]
    book = openpyxl.load_workbook(io.BytesIO(body(client.get(url("xlsx")))), read_only=True)
    assert book.sheetnames == ["Hasil", "Kamus data"]
    dictionary = [row for row in book["Kamus data"].iter_rows(values_only=True)]
    assert [r[0] for r in dictionary[1 : len(COLUMNS) + 1]] == COLUMNS
    assert any(r[1] == "CC BY 4.0" for r in dictionary)
    assert all(r["lisensi"] == "CC BY 4.0" for r in read_csv(body(client.get(url("csv")))))
    page = client.get(reverse("results:data_dictionary")).content.decode()
    assert all(f"<code>{c}</code>" in page for c in COLUMNS)
    assert "CC BY 4.0" in page and "ISO 8601" in page and opendata.LICENCE_URL in page
    assert url("csv") in page and url("xlsx", None) in page


def test_result_pages_link_to_the_downloads(published: Cycle) -> None:
    client = Client()
    index = client.get(reverse("results:public_index")).content.decode()
    assert url("csv", None) in index and reverse("results:data_dictionary") in index
    page = client.get(reverse("results:public_cycle", kwargs={"cycle_code": DEMO})).content.decode()
    assert all(url(fmt) in page for fmt in FORMATS)


def test_a_formula_like_name_is_defused_in_csv_only(published: Cycle) -> None:
    Cycle.objects.filter(pk=published.pk).update(name="=HYPERLINK(1)")
    assert read_csv(body(Client().get(url("csv"))))[0]["siklus"] == "'=HYPERLINK(1)"
    assert read_json(body(Client().get(url("json"))))[0]["siklus"] == "=HYPERLINK(1)"
