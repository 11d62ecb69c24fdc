"""Sign-in, password change and reset, API tokens and user management through the HTTP stack, in Indonesian."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from kla.accounts.models import ApiToken, User
from kla.core.models import AuditEvent
from kla.demo.data import DEMO_PASSWORD
from kla.evaluations.models import Evaluation

pytestmark = pytest.mark.django_db


def test_login_page_is_indonesian(client) -> None:
    body = client.get(reverse("accounts:login")).content.decode()
    assert 'lang="id"' in body and "Nama pengguna" in body and "Kata sandi" in body and "Lupa kata sandi?" in body


def test_wrong_password_gets_a_clear_indonesian_message_and_is_audited(client) -> None:
    response = client.post(reverse("accounts:login"), {"username": "gt-palembang", "password": "salah-sekali"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nama pengguna atau kata sandi salah." in body and body.count("nama pengguna") == 0
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="kla.auth.login_failed", object_label="gt-palembang").exists()


def test_login_then_logout(client) -> None:
    response = client.post(reverse("accounts:login"), {"username": "gt-palembang", "password": DEMO_PASSWORD})
    palembang = Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.71")
    # the secretariat lands on its evaluation dashboard (kla/accounts/tests/test_landing.py: every role)
    assert response.status_code == 302 and response.url == reverse("evaluations:evaluation_detail", args=[palembang.pk])
    me = client.get(reverse("accounts:me")).content.decode()
    assert "Sekretariat Gugus Tugas KLA" in me and "Kota Palembang" in me
    assert client.get(reverse("accounts:logout")).status_code == 405  # logging out is a POST
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("accounts:me")).status_code == 302
    actions = list(AuditEvent.objects.filter(actor__username="gt-palembang").values_list("action", flat=True))
    assert "kla.auth.login" in actions and "kla.auth.logout" in actions


def test_login_redirect_stays_on_site(client) -> None:
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {"username": "gt-palembang", "password": DEMO_PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and not response.url.startswith("https://evil")


def test_user_without_membership_is_told_how_to_get_one(client_for) -> None:
    body = client_for("no_role").get(reverse("accounts:me")).content.decode()
    assert "belum memiliki peran" in body


def test_password_change(client) -> None:
    client.login(username="opd-palembang", password=DEMO_PASSWORD)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "bukan-ini",
            "new_password1": "x",
            "new_password2": "y",
        },
    )
    assert response.status_code == 200
    assert "Kata sandi lama Anda salah" in response.content.decode() or "salah" in response.content.decode()
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": DEMO_PASSWORD,
            "new_password1": "Burung-Merak-Terbang-17",
            "new_password2": "Burung-Merak-Terbang-17",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="opd-palembang").check_password("Burung-Merak-Terbang-17")
    assert AuditEvent.objects.filter(action="kla.auth.password_changed").exists()


def test_password_reset_by_email(client, mailoutbox) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "opd-palembang@demo.kla.invalid"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert "kata sandi" in message.subject.lower()
    link = re.search(r"http://testserver(/akun/atur-sandi/\S+/)", message.body)
    assert link
    response = client.get(link.group(1), follow=True)
    assert "Buat kata sandi baru" in response.content.decode()
    response = client.post(
        response.redirect_chain[-1][0],
        {
            "new_password1": "Sungai-Musi-Mengalir-88",
            "new_password2": "Sungai-Musi-Mengalir-88",
        },
    )
    assert response.status_code == 302
    assert client.login(username="opd-palembang", password="Sungai-Musi-Mengalir-88")


def test_password_reset_does_not_reveal_whether_an_account_exists(client, mailoutbox) -> None:
    known = client.post(reverse("accounts:password_reset"), {"email": "opd-palembang@demo.kla.invalid"})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "tidak.ada@example.id"})
    assert known.status_code == unknown.status_code == 302 and known.url == unknown.url
    assert len(mailoutbox) == 1


def test_token_created_in_the_ui_is_shown_once_and_works(client_for, user_of) -> None:
    client = client_for("opd")
    response = client.post(reverse("accounts:token_create"), {"name": "Aplikasi SIPD"})
    assert response.status_code == 200
    plain = response.context["plain"]
    assert plain in response.content.decode()
    token = ApiToken.objects.get(user=user_of("opd"))
    assert plain not in client.get(reverse("accounts:me")).content.decode()  # never shown again
    api = client_for("anonymous")
    me = api.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"})
    assert me.status_code == 200 and me.json()["username"] == "opd-palembang"
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 302
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 401


def test_token_without_a_name_is_refused_with_a_message(client_for) -> None:
    response = client_for("opd").post(reverse("accounts:token_create"), {"name": ""}, follow=True)
    assert "Token tidak dibuat" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_someone_elses_token_cannot_be_revoked(client_for, user_of) -> None:
    from kla.accounts.services import token_create

    token, _plain = token_create(user=user_of("opd"), name="milik opd", by=None)
    assert client_for("secretariat").post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_secretariat_adds_an_operator_who_gets_a_set_password_email(client_for, mailoutbox) -> None:
    from kla.agencies.models import Agency

    dinkes = Agency.objects.get(region_id="16.71", kind="DINKES")
    client = client_for("secretariat")
    form = client.get(reverse("accounts:user_create"))
    roles = [value for value, _label in form.context["form"].fields["role"].choices]
    assert roles == ["", "opd_operator", "secretariat"]  # only what a secretariat may grant
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "opd-dinkes",
            "full_name": "dr. Lina",
            "email": "lina@dinkes.example.id",
            "position": "Staf",
            "role": "opd_operator",
            "region": "16.71",
            "agency": str(dinkes.pk),
        },
    )
    assert response.status_code == 302, response.content.decode()
    user = User.objects.get(username="opd-dinkes")
    assert user.memberships.get().agency == dinkes
    assert len(mailoutbox) == 1 and "opd-dinkes" in mailoutbox[0].body and "/akun/atur-sandi/" in mailoutbox[0].body


def test_user_form_errors_are_explained_and_nothing_is_created(client_for) -> None:
    client = client_for("secretariat")
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "x y",
            "full_name": "",
            "email": "bukan-email",
            "role": "opd_operator",
            "region": "16.71",
            "agency": "",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Gunakan 3–150 huruf" in body and "Masukkan alamat email yang valid" in body
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "operator-baru",
            "full_name": "A",
            "email": "a@example.id",
            "role": "opd_operator",
            "region": "16.71",
            "agency": "",
        },
    )
    assert "harus memilih instansi" in response.content.decode()
    assert not User.objects.filter(username="operator-baru").exists()


def test_secretariat_is_not_offered_a_national_membership(client_for) -> None:
    client = client_for("secretariat")
    form = client.get(reverse("accounts:user_create")).context["form"]
    assert [value for value, _label in form.fields["region"].choices] == ["16.71"]
    assert "nasional" not in str(form["region"])
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "tanpa-wilayah", "full_name": "A", "email": "a@example.id", "role": "secretariat", "region": ""},
    )
    assert response.status_code == 200 and response.context["form"].errors["region"]
    assert not User.objects.filter(username="tanpa-wilayah").exists()


def test_ministry_admin_is_offered_a_national_membership(client_for) -> None:
    form = client_for("ministry_admin").get(reverse("accounts:user_create")).context["form"]
    assert form.fields["region"].choices[0] == ("", "— nasional —")


def test_tampered_region_outside_scope_is_not_offered_nor_accepted(client_for) -> None:
    response = client_for("secretariat").post(
        reverse("accounts:user_create"),
        {
            "username": "penyusup",
            "full_name": "A",
            "email": "a@example.id",
            "role": "secretariat",
            "region": "16.73",
        },
    )
    assert response.status_code == 200
    assert "Masukkan pilihan yang valid" in response.content.decode()
    assert not User.objects.filter(username="penyusup").exists()


def test_grant_and_revoke_from_the_user_page(client_for, user_of) -> None:
    admin = client_for("ministry_admin")
    target = user_of("no_role")
    response = admin.post(
        reverse("accounts:membership_grant", args=[target.pk]), {"role": "field_verifier", "region": "", "agency": ""}
    )
    assert response.status_code == 302
    membership = target.memberships.get()
    page = admin.get(reverse("accounts:user_detail", args=[target.pk])).content.decode()
    assert "Verifikator Lapangan" in page
    response = admin.post(reverse("accounts:membership_revoke", args=[membership.pk]), {"reason": ""}, follow=True)
    assert "tuliskan alasannya" in response.content.decode()
    membership.refresh_from_db()
    assert membership.revoked_at is None
    admin.post(reverse("accounts:membership_revoke", args=[membership.pk]), {"reason": "selesai bertugas"})
    membership.refresh_from_db()
    assert membership.revoked_at is not None


def test_manager_lists_only_users_in_their_scope(client_for) -> None:
    names = {u.username for u in client_for("secretariat").get(reverse("accounts:users")).context["users"]}
    assert names == {"opd-palembang", "gt-palembang"}
    names = {u.username for u in client_for("province").get(reverse("accounts:users")).context["users"]}
    assert names == {"opd-palembang", "gt-palembang", "gt-lubuklinggau", "prov-sumsel"}
