"""Importing users from a spreadsheet through the HTTP stack: the template, a good file, and every bad input (nothing
imported, each bad row named with its column, in Indonesian)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from kla.accounts.models import Membership, User
from kla.agencies.models import Agency
from kla.core.models import AuditEvent
from kla.people import importing
from kla.people.spreadsheet import MARK
from kla.people.tests.sheets import OPERATOR, csv_file, plain_xlsx, template_book, xlsx
from kla.rad.spreadsheet_rules import LIST_SHEET, MARK_SHEET

pytestmark = pytest.mark.django_db
URL = "people:import"


@pytest.fixture
def disdukcapil() -> Agency:
    return Agency.objects.get(region_id="16.71", kind="DISDUKCAPIL")


def _rows(agency: Agency) -> list[list[Any]]:
    return [
        ["opd-baru-satu", "Siti Aminah", "siti@contoh.go.id", "Staf", OPERATOR, "16.71 Kota Palembang", agency.name],
        ["Opd-Baru-Dua", "Budi Santoso", "BUDI@contoh.go.id", "", "opd_operator", "16.71", agency.short_name],
    ]


def _post(client: Any, upload: Any) -> Any:
    return client.post(reverse(URL), {"file": upload})


def _refused(response: Any) -> str:
    assert response.status_code == 422, response.status_code
    body = response.content.decode()
    assert "Tidak ada yang diimpor" in body or "tidak ada yang diimpor" in body or "bukan templat" in body, body
    return body


def test_template_lists_what_the_importer_may_grant_with_a_version_mark(client_for) -> None:
    book = template_book(client_for("secretariat"))
    assert book[MARK_SHEET]["A1"].value == MARK
    assert [c.value for c in book.worksheets[0][1]] == [
        "Nama pengguna", "Nama lengkap", "Email", "Jabatan", "Peran", "Kode wilayah", "Instansi"
    ]  # fmt: skip
    listed = book[LIST_SHEET]
    roles = [c.value for c in listed["A"][1:] if c.value]
    regions = [c.value for c in listed["B"][1:] if c.value]
    assert roles == ["Operator Instansi", "Sekretariat Gugus Tugas KLA"]  # never a province or national role
    assert regions == ["16.71 Kota Palembang"]  # only the secretariat's own kabupaten/kota
    assert len(book.worksheets[0].data_validations.dataValidation) == 3
    province = [c.value for c in template_book(client_for("province"))[LIST_SHEET]["B"][1:] if c.value]
    assert "16 Sumatera Selatan" in province and any(r.startswith("16.73 ") for r in province)
    assert not any(r.startswith("15") for r in province)


def test_template_and_import_are_for_user_managers_only(client_for) -> None:
    client = client_for("opd")
    assert client.get(reverse("people:import_template")).status_code == 403
    assert client.get(reverse(URL)).status_code == 403


def test_secretariat_imports_two_operators_who_get_the_welcome_email(client_for, disdukcapil, mailoutbox) -> None:
    client = client_for("secretariat")
    response = _post(client, xlsx(client, _rows(disdukcapil)))
    assert response.status_code == 302 and response.url == reverse("accounts:users")
    for username, email in (("opd-baru-satu", "siti@contoh.go.id"), ("opd-baru-dua", "budi@contoh.go.id")):
        user = User.objects.get(username=username)
        assert user.email == email and user.is_active and user.has_usable_password()
        membership = Membership.objects.active().get(user=user)
        shape = (membership.role, membership.region_id, membership.agency_id)
        assert shape == ("opd_operator", "16.71", disdukcapil.pk)
        assert membership.granted_by.username == "gt-palembang"
    assert User.objects.get(username="opd-baru-satu").position == "Staf"
    assert len(mailoutbox) == 2
    assert {m.to[0] for m in mailoutbox} == {"siti@contoh.go.id", "budi@contoh.go.id"}
    assert all(re.search(r"/akun/atur-sandi/[^/]+/[^/]+/", m.body) for m in mailoutbox)
    event = AuditEvent.objects.get(action="kla.people.imported")
    assert event.actor.username == "gt-palembang" and event.after["count"] == 2
    assert event.after["usernames"] == ["opd-baru-satu", "opd-baru-dua"]
    assert AuditEvent.objects.filter(action="kla.user.created").count() >= 2
    page = client.get(response.url).content.decode()
    assert "2 pengguna diimpor" in page


def test_a_csv_with_the_same_columns_is_imported(client_for, disdukcapil, mailoutbox) -> None:
    response = _post(client_for("secretariat"), csv_file(_rows(disdukcapil)))
    assert response.status_code == 302
    assert User.objects.filter(username__in=["opd-baru-satu", "opd-baru-dua"]).count() == 2
    assert len(mailoutbox) == 2


def test_duplicate_usernames_in_the_file_and_taken_ones_are_named_and_nothing_is_imported(
    client_for, disdukcapil, mailoutbox
) -> None:
    client = client_for("secretariat")
    rows = [
        *_rows(disdukcapil),
        ["OPD-BARU-SATU", "Siti Lagi", "siti2@contoh.go.id", "", OPERATOR, "16.71", disdukcapil.name],
        ["opd-palembang", "Rina Lain", "rina@contoh.go.id", "", OPERATOR, "16.71", disdukcapil.name],
    ]
    before = User.objects.count()
    body = _refused(_post(client, xlsx(client, rows)))
    assert "Baris 2, kolom Nama pengguna: &quot;opd-baru-satu&quot; muncul lebih dari sekali" in body
    assert "Baris 4, kolom Nama pengguna: &quot;opd-baru-satu&quot; muncul lebih dari sekali" in body
    assert "Baris 5, kolom Nama pengguna: &quot;opd-palembang&quot; sudah dipakai pengguna lain." in body
    assert "Baris 3," not in body  # the good row is not blamed
    assert User.objects.count() == before and mailoutbox == []
    assert not AuditEvent.objects.filter(action="kla.people.imported").exists()


def test_bad_email_unknown_region_and_unknown_agency_are_named(client_for, disdukcapil) -> None:
    client = client_for("secretariat")
    rows = [
        ["opd-a", "A", "bukan-email", "", OPERATOR, "16.71", disdukcapil.name],
        ["opd-b", "B", "b@contoh.go.id", "", OPERATOR, "99.99", disdukcapil.name],
        ["opd-c", "C", "c@contoh.go.id", "", OPERATOR, "16.71", "Dinas Yang Tidak Ada"],
    ]
    body = _refused(_post(client, xlsx(client, rows)))
    assert "Baris 2, kolom Email: &quot;bukan-email&quot; bukan alamat email yang benar." in body
    assert "Baris 3, kolom Kode wilayah: kode wilayah &quot;99.99&quot; tidak dikenal." in body
    assert "Baris 4, kolom Instansi: instansi &quot;Dinas Yang Tidak Ada&quot; tidak ada di wilayah 16.71." in body
    assert not User.objects.filter(username__in=["opd-a", "opd-b", "opd-c"]).exists()


def test_a_role_the_importer_may_not_grant_or_a_region_outside_the_subtree_is_refused(client_for) -> None:
    client = client_for("secretariat")
    lubuklinggau = Agency.objects.filter(region_id="16.73").first()
    assert lubuklinggau is not None
    rows = [
        ["prov-baru", "P", "p@contoh.go.id", "", "Verifikator Provinsi (Pembina)", "16", ""],
        ["kemen-baru", "K", "k@contoh.go.id", "", "Administrator Kementerian (Publikasi)", "", ""],
        ["opd-lain", "L", "l@contoh.go.id", "", OPERATOR, "16.73", lubuklinggau.name],
        ["gt-baru", "G", "g@contoh.go.id", "", "Peran Karangan", "16.71", ""],
    ]
    body = _refused(_post(client, xlsx(client, rows)))
    assert "Baris 2, kolom Peran: Anda tidak dapat memberikan peran Verifikator Provinsi (Pembina)." in body
    assert "Baris 3, kolom Peran: Anda tidak dapat memberikan peran Administrator Kementerian (Publikasi)." in body
    assert "Baris 4, kolom Kode wilayah: wilayah ini di luar wilayah kewenangan Anda." in body
    assert "Baris 5, kolom Peran: peran tidak dikenal" in body
    assert not User.objects.filter(username__in=["prov-baru", "kemen-baru", "opd-lain", "gt-baru"]).exists()


def test_an_operator_needs_an_agency_and_a_secretariat_takes_none(client_for, disdukcapil) -> None:
    client = client_for("secretariat")
    rows = [
        ["opd-tanpa", "T", "t@contoh.go.id", "", OPERATOR, "16.71", ""],
        ["gt-dengan", "G", "g@contoh.go.id", "", "Sekretariat Gugus Tugas KLA", "16.71", disdukcapil.name],
    ]
    body = _refused(_post(client, xlsx(client, rows)))
    assert "Baris 2, kolom Instansi: Peran Operator Instansi harus memilih instansinya." in body
    assert "Baris 3, kolom Instansi: Peran Sekretariat Gugus Tugas KLA tidak terikat pada instansi." in body


def test_one_bad_row_keeps_the_good_ones_out_too(client_for, disdukcapil) -> None:
    client = client_for("secretariat")
    rows = [*_rows(disdukcapil), ["opd-x", "X", "x@", "", OPERATOR, "16.71", disdukcapil.name]]
    body = _refused(_post(client, xlsx(client, rows)))
    assert "1 baris perlu diperbaiki" in body
    assert not User.objects.filter(username__startswith="opd-baru").exists()


def test_a_password_column_refuses_the_whole_file(client_for, disdukcapil) -> None:
    header = ("Nama pengguna", "Nama lengkap", "Email", "Jabatan", "Peran", "Kode wilayah", "Instansi", "Kata sandi")
    rows = [[*_rows(disdukcapil)[0], "Rahasia-123"]]
    response = _post(client_for("secretariat"), csv_file(rows, header=header))
    assert response.status_code == 422
    body = response.content.decode()
    assert "Berkas memuat kolom kata sandi (&quot;Kata sandi&quot;): tidak ada yang diimpor." in body
    assert "Rahasia-123" not in body
    assert not User.objects.filter(username="opd-baru-satu").exists()


def test_a_workbook_without_the_version_mark_or_another_kind_of_file_is_refused(client_for, disdukcapil) -> None:
    client = client_for("secretariat")
    body = _refused(_post(client, plain_xlsx(_rows(disdukcapil))))
    assert "bukan templat impor pengguna versi yang berlaku" in body and MARK in body
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = _post(client, SimpleUploadedFile("pengguna.pdf", b"%PDF-1.4"))
    assert response.status_code == 422 and "Unggah berkas .xlsx" in response.content.decode()
    response = _post(client, SimpleUploadedFile("pengguna.xlsx", b"bukan zip"))
    assert response.status_code == 422 and "tidak dapat dibaca" in response.content.decode()
    response = _post(client, xlsx(client, []))
    assert response.status_code == 422 and "tidak berisi baris pengguna" in response.content.decode()
    response = _post(client, csv_file([["a"]], header=("Nama pengguna", "Email")))
    assert response.status_code == 422 and "tidak memuat kolom" in response.content.decode()


def test_checking_a_file_reads_the_database_a_fixed_number_of_times(
    user_of, disdukcapil, django_assert_num_queries
) -> None:
    secretariat = user_of("secretariat")
    few = [(2, dict(zip(("Nama pengguna", "Email", "Peran", "Kode wilayah", "Instansi"), r, strict=True))) for r in [
        ("u-1", "a@contoh.go.id", OPERATOR, "16.71", disdukcapil.name),
    ]]  # fmt: skip
    many = [
        (n, {"Nama pengguna": f"u-{n}", "Email": "a@contoh.go.id", "Peran": OPERATOR, "Kode wilayah": "16.71",
             "Instansi": disdukcapil.name})
        for n in range(2, 40)
    ]  # fmt: skip
    with django_assert_num_queries(4):  # the importer's roles, taken usernames, regions, agencies
        importing.check(few, secretariat)
    secretariat = user_of("secretariat")
    with django_assert_num_queries(4):
        rows, errors = importing.check(many, secretariat)
    assert len(rows) == 38 and [e for e in errors if e.column != "Nama lengkap"] == []
