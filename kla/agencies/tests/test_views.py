"""The agency pages as a secretariat, a province reviewer and outsiders use them (Django test client, demo data)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from kla.agencies import services
from kla.agencies.models import Agency
from kla.evaluations.models import Assignment, Evaluation
from kla.regions.models import Region

pytestmark = pytest.mark.django_db
Clients = Callable[[str], Client]


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_list_shows_active_and_deactivated_agencies(client_for: Clients) -> None:
    palembang = Region.objects.get(pk="16.71")
    gone = services.agency_create(region=palembang, kind="LAINNYA", name="Lembaga Lama", by=None)
    services.agency_deactivate(agency=gone, by=None)
    page = client_for("secretariat").get("/wilayah/16.71/instansi/").content.decode()
    assert "Disdukcapil" in page and "Instansi nonaktif" in page and "Lembaga Lama" in page
    assert "Tambah instansi" in page and "Dinas Kependudukan dan Pencatatan Sipil" in page  # the pick list


def test_an_operator_reads_but_does_not_manage(client_for: Clients) -> None:
    client = client_for("opd")
    page = client.get("/wilayah/16.71/instansi/").content.decode()
    assert "Disdukcapil" in page and "Tambah instansi" not in page
    assert client.post("/wilayah/16.71/instansi/tambah/", {"kind": "DINKES", "name": "X"}).status_code == 403


def test_add_from_the_catalogue_with_htmx_returns_the_list(client_for: Clients) -> None:
    response = client_for("secretariat").post(
        "/wilayah/16.71/instansi/tambah/",
        {"kind": "KECAMATAN", "name": "Kecamatan Ilir Barat I"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Kecamatan Ilir Barat I" in response.content.decode() and "<html" not in response.content.decode()
    assert Agency.objects.filter(region_id="16.71", name="Kecamatan Ilir Barat I", kind="KECAMATAN").exists()


def test_a_duplicate_name_is_refused_with_a_message(client_for: Clients) -> None:
    existing = Agency.objects.get(region_id="16.71", kind="DISDUKCAPIL")
    response = client_for("secretariat").post(
        "/wilayah/16.71/instansi/tambah/", {"kind": "LAINNYA", "name": existing.name}
    )
    assert response.status_code == 422
    assert "sudah terdaftar di Kota Palembang" in response.content.decode()


def test_the_province_manages_its_own_bodies_and_its_kabkota(client_for: Clients) -> None:
    client = client_for("province")
    assert client.post("/wilayah/16/instansi/tambah/", {"kind": "KEMENKUMHAM"}).status_code == 302
    assert Agency.objects.filter(region_id="16", kind="KEMENKUMHAM").exists()
    assert client.post("/wilayah/16.71/instansi/tambah/", {"kind": "DLH", "name": "DLH Palembang"}).status_code == 302
    # a provincial body is not offered, and refused, in a kab/kota
    assert 'value="KEJATI"' not in client.get("/wilayah/16.71/instansi/").content.decode()
    assert 'value="KEJATI"' in client.get("/wilayah/16/instansi/").content.decode()
    assert client.post("/wilayah/16.71/instansi/tambah/", {"kind": "KEJATI"}).status_code == 422
    assert not Agency.objects.filter(region_id="16.71", kind="KEJATI").exists()


def test_another_regions_agency_by_id_is_404_like_a_missing_one(client_for: Clients) -> None:
    pk = Agency.objects.get(region_id="16.71", kind="DISDUKCAPIL").pk
    client = client_for("other_secretariat")
    for url in (f"/instansi/{pk}/ubah/", f"/instansi/{pk}/nonaktifkan/", "/instansi/999999/ubah/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/instansi/{pk}/nonaktifkan/", {}).status_code == 404
    assert client.get("/wilayah/16.71/instansi/").status_code == 404
    assert Agency.objects.get(pk=pk).is_active


def test_deactivating_with_open_assignments_asks_for_a_successor(client_for: Clients) -> None:
    evaluation = Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.71")
    assignment = Assignment.objects.filter(entry__evaluation=evaluation).select_related("agency").first()
    assert assignment is not None
    agency = assignment.agency
    client = client_for("secretariat")
    page = client.get(f"/instansi/{agency.pk}/nonaktifkan/").content.decode()
    assert "penugasan indikator" in page and "Alihkan tugasnya kepada" in page
    refused = client.post(f"/instansi/{agency.pk}/nonaktifkan/", {"reason": "digabung"})
    assert refused.status_code == 422 and "pilih instansi pengganti" in refused.content.decode()
    assert Agency.objects.get(pk=agency.pk).is_active
    successor = Agency.objects.filter(region_id="16.71", is_active=True).exclude(pk=agency.pk).first()
    assert successor is not None
    done = client.post(f"/instansi/{agency.pk}/nonaktifkan/", {"reassign_to": successor.pk, "reason": "digabung"})
    assert done.status_code == 302
    assert not Agency.objects.get(pk=agency.pk).is_active
    assert Assignment.objects.filter(entry=assignment.entry, agency=successor).exists()


def test_edit_and_reactivate(client_for: Clients) -> None:
    agency = Agency.objects.get(region_id="16.71", kind="DISDUKCAPIL")
    client = client_for("secretariat")
    data = {"kind": "DISDUKCAPIL", "name": agency.name, "short_name": "Dukcapil"}
    assert client.post(f"/instansi/{agency.pk}/ubah/", data).status_code == 302
    assert Agency.objects.get(pk=agency.pk).short_name == "Dukcapil"
    idle = services.agency_create(region=agency.region, kind="LAINNYA", name="Lembaga Uji", by=None)
    services.agency_deactivate(agency=idle, by=None)
    assert client.post(f"/instansi/{idle.pk}/aktifkan/").status_code == 302
    assert Agency.objects.get(pk=idle.pk).is_active


def test_import_csv_with_bom_and_semicolons(client_for: Clients) -> None:
    text = (
        "\ufeffjenis;nama;singkatan\r\nDINKES;Puskesmas Kenten;Puskesmas\r\nforum_anak;Forum Anak Kota Palembang;\r\n"
    )
    upload = SimpleUploadedFile("instansi.csv", text.encode("utf-8"))
    response = client_for("secretariat").post("/wilayah/16.71/instansi/impor/", {"file": upload})
    assert response.status_code == 302
    assert set(
        Agency.objects.filter(
            region_id="16.71", name__in=["Puskesmas Kenten", "Forum Anak Kota Palembang"]
        ).values_list("kind", flat=True)
    ) == {"DINKES", "FORUM_ANAK"}


def test_import_csv_with_commas_without_bom(client_for: Clients) -> None:
    upload = SimpleUploadedFile("instansi.csv", b"nama,jenis\nDinas Uji Koma,LAINNYA\n")
    assert client_for("secretariat").post("/wilayah/16.71/instansi/impor/", {"file": upload}).status_code == 302
    assert Agency.objects.filter(region_id="16.71", name="Dinas Uji Koma").exists()


def test_import_xlsx_names_every_bad_row_and_imports_nothing(client_for: Clients) -> None:
    existing = Agency.objects.get(region_id="16.71", kind="DISDUKCAPIL").name
    data = _xlsx(
        [
            ["jenis", "nama", "singkatan"],
            ["DINKES", "Puskesmas Uji", None],
            ["DINAS_GAIB", "Dinas Gaib", None],
            ["DISDUKCAPIL", existing, None],
            ["DINSOS", "puskesmas uji", None],
            ["DINSOS", None, "Tanpa nama"],
        ]
    )
    before = Agency.objects.count()
    upload = SimpleUploadedFile("instansi.xlsx", data)
    response = client_for("secretariat").post("/wilayah/16.71/instansi/impor/", {"file": upload})
    page = response.content.decode()
    assert response.status_code == 422
    assert "Baris 3, kolom jenis: jenis instansi tidak dikenal: DINAS_GAIB." in page
    assert f"Baris 4, kolom nama: {existing} sudah terdaftar di wilayah ini." in page
    assert "Baris 5, kolom nama: puskesmas uji sudah ada di baris 2." in page
    assert "Baris 6, kolom nama: nama instansi wajib diisi." in page
    assert Agency.objects.count() == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("instansi.xlsx", b"bukan lembar kerja", "tidak dapat dibaca"),
        ("instansi.csv", "jenis;nama\nDINKES;Dinas Ü\n".encode("latin-1"), "UTF-8"),
        ("instansi.csv", b"kode;nama\nDINKES;A\n", "tidak ada kolom jenis"),
        ("instansi.pdf", b"%PDF-1.4", ".xlsx atau .csv"),
        ("instansi.csv", b"jenis;nama\n", "tidak berisi satu pun instansi"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(
    client_for: Clients, name: str, content: bytes, message: str
) -> None:
    upload = SimpleUploadedFile(name, content)
    response = client_for("secretariat").post("/wilayah/16.71/instansi/impor/", {"file": upload})
    assert response.status_code == 422 and message in response.content.decode()


def test_the_template_and_the_kinds_download(client_for: Clients) -> None:
    client = client_for("secretariat")
    template = client.get("/instansi/templat.csv")
    assert template["Content-Disposition"] == 'attachment; filename="templat-instansi.csv"'
    assert template.content.decode("utf-8-sig").startswith("jenis;nama;singkatan\r\n")
    kinds = client.get("/instansi/jenis.csv").content.decode("utf-8-sig")
    assert "KEMENKUMHAM;Kantor Wilayah Kementerian Hukum dan HAM;Kemenkumham;vertikal;provinsi" in kinds


def test_the_menu_entry_leads_a_secretariat_to_its_region(client_for: Clients) -> None:
    response = client_for("secretariat").get("/instansi/")
    assert response.status_code == 302 and response["Location"] == "/wilayah/16.71/instansi/"
    page = client_for("ministry_admin").get("/instansi/?q=Palembang").content.decode()
    assert "/wilayah/16.71/instansi/" in page


def test_the_list_page_runs_the_same_queries_with_more_agencies(client_for: Clients) -> None:
    client = client_for("secretariat")
    region = Region.objects.get(pk="16.71")

    def count() -> int:
        client.get("/wilayah/16.71/instansi/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/wilayah/16.71/instansi/").status_code == 200
        return len(captured.captured_queries)

    before = count()
    for i in range(30):
        agency = services.agency_create(region=region, kind="LAINNYA", name=f"Lembaga {i}", by=None)
        if i % 3 == 0:
            services.agency_deactivate(agency=agency, by=client_for("secretariat").get("/").wsgi_request.user)
    assert count() == before


def test_an_office_registered_at_another_level_keeps_its_kind_when_edited(client_for: Clients) -> None:
    """The demo registered the provincial Kemenkumham office in Palembang; editing its name keeps its kind."""
    agency = Agency.objects.create(
        region_id="16.71", kind="KEMENKUMHAM", name="Kanwil Kemenkumham Sumsel (lama)", short_name="Kemenkumham"
    )
    client = client_for("secretariat")
    assert 'value="KEMENKUMHAM"' in client.get(f"/instansi/{agency.pk}/ubah/").content.decode()
    data = {"kind": "KEMENKUMHAM", "name": "Kanwil Kemenkumham Sumatera Selatan", "short_name": "Kemenkumham"}
    assert client.post(f"/instansi/{agency.pk}/ubah/", data).status_code == 302
    assert Agency.objects.get(pk=agency.pk).name == "Kanwil Kemenkumham Sumatera Selatan"
    assert client.post("/wilayah/16.71/instansi/tambah/", {"kind": "KEMENKUMHAM", "name": "Baru"}).status_code == 422
