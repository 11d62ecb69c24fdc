"""User, membership and token services: rules enforced, every write audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from kla.accounts import access
from kla.accounts.models import ApiToken, Membership, User
from kla.accounts.roles import Role
from kla.accounts.services import (
    membership_grant,
    membership_revoke,
    token_authenticate,
    token_create,
    token_revoke,
    user_create,
)
from kla.agencies.models import Agency
from kla.core.models import AuditEvent
from kla.regions.models import Region


@pytest.fixture
def palembang(db) -> Region:
    return Region.objects.get(code="16.71")


@pytest.fixture
def disdukcapil(palembang) -> Agency:
    return Agency.objects.get(region=palembang, kind="DISDUKCAPIL")


def test_secretariat_creates_an_operator_for_its_own_agency(user_of, palembang, disdukcapil) -> None:
    secretariat = user_of("secretariat")
    user = user_create(
        username="Operator.Dinkes",
        full_name="Siti",
        email="Siti@Example.go.id",
        password=None,
        role=Role.OPD_OPERATOR,
        region=palembang,
        agency=disdukcapil,
        by=secretariat,
    )
    assert user.username == "operator.dinkes" and user.email == "siti@example.go.id"
    assert user.has_usable_password()  # random, unknown: the person sets theirs via the emailed link
    membership = user.memberships.get()
    assert (membership.role, membership.region_id, membership.agency_id) == ("opd_operator", "16.71", disdukcapil.pk)
    assert membership.granted_by == secretariat
    actions = set(AuditEvent.objects.filter(actor=secretariat).values_list("action", flat=True))
    assert {"kla.user.created", "kla.membership.granted"} <= actions


def test_secretariat_cannot_create_a_province_reviewer_and_nothing_is_written(user_of) -> None:
    users_before = User.objects.count()
    with pytest.raises(PermissionDenied):
        user_create(
            username="naik.pangkat",
            full_name="X",
            email="x@example.id",
            password=None,
            role=Role.PROVINCE_REVIEWER,
            region=Region.objects.get(code="16"),
            by=user_of("secretariat"),
        )
    assert User.objects.count() == users_before


def test_province_cannot_grant_in_another_province(user_of) -> None:
    with pytest.raises(PermissionDenied):
        membership_grant(
            user=user_of("no_role"),
            role=Role.SECRETARIAT,
            region=Region.objects.get(code="31.71"),
            by=user_of("province"),
        )
    assert not user_of("no_role").memberships.exists()


def test_duplicate_membership_is_refused_with_a_message(user_of, palembang) -> None:
    target = user_of("no_role")
    membership_grant(user=target, role=Role.SECRETARIAT, region=palembang, by=user_of("ministry_admin"))
    with pytest.raises(ValidationError, match="sudah memiliki peran"):
        membership_grant(user=target, role=Role.SECRETARIAT, region=palembang, by=user_of("ministry_admin"))


def test_database_refuses_duplicate_active_national_membership(user_of) -> None:
    target = user_of("no_role")
    Membership.objects.create(user=target, role=Role.MINISTRY_VERIFIER.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=target, role=Role.MINISTRY_VERIFIER.value)


def test_weak_or_programme_passwords_are_refused(user_of, palembang) -> None:
    for weak in ("palembang2025", "LayakAnak2024!", "password123", "12345678901234"):
        with pytest.raises(ValidationError):
            user_create(
                username=f"u{abs(hash(weak)) % 10000}",
                full_name="Y",
                email="y@example.id",
                password=weak,
                role=Role.SECRETARIAT,
                region=palembang,
                by=user_of("ministry_admin"),
            )


def test_revoked_membership_takes_effect_on_the_next_request(user_of, client_for) -> None:
    secretariat = user_of("secretariat")
    client = client_for("secretariat")
    assert client.get("/pengguna/").status_code == 200
    membership_revoke(membership=secretariat.memberships.get(), by=user_of("ministry_admin"), reason="pindah tugas")
    assert client.get("/pengguna/").status_code == 403
    event = AuditEvent.objects.filter(action="kla.membership.revoked").latest("id")
    assert event.reason == "pindah tugas" and event.before["role"] == "secretariat"


def test_nobody_revokes_their_own_membership(user_of) -> None:
    admin = user_of("ministry_admin")
    with pytest.raises(PermissionDenied, match="sendiri"):
        access.get_membership_for_revoke(admin, admin.memberships.get().pk)


def test_token_lifecycle(user_of) -> None:
    user = user_of("opd")
    token, plain = token_create(user=user, name="Sinkronisasi", by=user)
    assert plain.startswith("kla_") and len(plain) > 40
    assert token.token_hash == ApiToken.hash(plain) and plain not in token.token_hash
    assert token_authenticate(plain) == user
    assert token_authenticate(plain + "x") is None
    token_revoke(token=token, by=user)
    assert token_authenticate(plain) is None
    with pytest.raises(ValidationError):
        token_revoke(token=token, by=user)
    user.is_active = False
    user.save()
    _t2, plain2 = token_create(user=user, name="lain", by=user)
    assert token_authenticate(plain2) is None  # a deactivated user's tokens stop working
