"""Handing a leaving user's work to a successor and deactivating them, through the HTTP stack."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kla.accounts import services as accounts
from kla.accounts.models import ApiToken, Membership, User
from kla.accounts.roles import Role
from kla.accounts.services import token_authenticate
from kla.agencies.models import Agency
from kla.core.models import AuditEvent
from kla.demo.data import DEMO_PASSWORD
from kla.evaluations.models import Entry, Evaluation
from kla.fieldvisits.models import FieldPlan
from kla.notifications.models import Notification
from kla.people import work
from kla.regions.models import Region
from kla.reports.models import Export

pytestmark = pytest.mark.django_db
PALEMBANG = "16.71"


def _url(user: User) -> str:
    return reverse("people:deactivate", args=[user.pk])


def _new(username: str, role: Role, region: str | None, agency: Agency | None = None) -> User:
    where = Region.objects.get(pk=region) if region else None
    return accounts.user_create(
        username=username, full_name=username.title(), email=f"{username}@contoh.go.id", password=None,
        role=role, region=where, agency=agency, by=None,
    )  # fmt: skip


def _dinkes() -> Agency:
    return Agency.objects.get(region_id=PALEMBANG, kind="DINKES")


def _evaluation() -> Evaluation:
    return Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id=PALEMBANG)


def _returned_by(user: User) -> Entry:
    entry = Entry.objects.filter(evaluation=_evaluation()).order_by("pk").first()
    assert entry is not None
    Entry.objects.filter(pk=entry.pk).update(
        status=Entry.Status.RETURNED, returned_by=user, returned_at=timezone.now(),
        return_reason="Lampirkan SK terbaru.", return_deadline=timezone.now() + dt.timedelta(days=3),
    )  # fmt: skip
    return entry


def _signed_in(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=DEMO_PASSWORD)
    return client


def test_the_page_lists_the_leavers_personal_work_and_what_stays_with_the_agency(client_for, user_of) -> None:
    opd = user_of("opd")
    Export.objects.create(kind="recap", cycle_code="evaluasi-kla-demo", format="xlsx", requested_by=opd)
    body = client_for("secretariat").get(_url(opd)).content.decode()
    assert "Pekerjaan yang masih terbuka" in body and "Operator Instansi · Kota Palembang" in body
    assert 'id="work-exports"' in body and "Menunggu giliran" in body
    assert "penugasan indikator" in body and "tindak lanjut rapat Gugus Tugas" in body
    assert "Serahkan ke pengganti" in body


def test_the_open_work_is_read_in_a_fixed_number_of_queries(user_of, django_assert_num_queries) -> None:
    reviewer = user_of("province")
    _returned_by(reviewer)
    plan = FieldPlan.objects.create(evaluation=_evaluation(), visit_date=dt.date(2026, 12, 20))
    plan.team.add(reviewer)
    Export.objects.create(kind="recap", cycle_code="evaluasi-kla-demo", format="xlsx", requested_by=reviewer)
    Export.objects.create(kind="recap", cycle_code="lain", format="csv", requested_by=reviewer)
    # memberships, returned entries, field plans, exports and their cycles; no agency: its two counts are not asked
    with django_assert_num_queries(5):
        found = work.open_work(reviewer)
    assert len(found.returned_entries) == 1 and len(found.field_plans) == 1 and len(found.exports) == 2
    with django_assert_num_queries(7):  # an operator: the agency's open assignments and follow-ups counted too
        work.open_work(user_of("opd"))


def test_the_page_costs_the_same_with_more_work(client_for, user_of) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    opd = user_of("opd")
    client = client_for("secretariat")
    Export.objects.create(kind="recap", cycle_code="c", format="xlsx", requested_by=opd)
    client.get(_url(opd))
    with CaptureQueriesContext(connection) as few:
        assert client.get(_url(opd)).status_code == 200
    for n in range(5):
        Export.objects.create(kind="recap", cycle_code=f"c{n}", format="xlsx", requested_by=opd)
    _returned_by(opd)
    with CaptureQueriesContext(connection) as many:
        assert client.get(_url(opd)).status_code == 200
    assert len(many) == len(few) <= 24, [q["sql"] for q in many.captured_queries]


def test_secretariat_hands_an_operators_work_to_a_successor_in_one_action(client_for, user_of) -> None:
    opd = user_of("opd")
    agency = Membership.objects.active().get(user=opd).agency
    successor = _new(
        "opd-pengganti", Role.OPD_OPERATOR, PALEMBANG, Agency.objects.get(region_id=PALEMBANG, kind="DINKES")
    )
    own = _signed_in(opd)
    plain = accounts.token_create(user=opd, name="SIPD", by=opd)[1]
    leaving = Membership.objects.active().get(user=opd)
    response = client_for("secretariat").post(
        _url(opd), {"successor": successor.pk, "memberships": [leaving.pk], "reason": "Pindah tugas."}
    )
    assert response.status_code == 302 and response.url == reverse("accounts:users")
    opd.refresh_from_db()
    assert not opd.is_active
    assert not Membership.objects.active().filter(user=opd).exists()
    assert Membership.objects.active().filter(user=successor, role="opd_operator", agency=agency).exists()
    assert not ApiToken.objects.active().filter(user=opd).exists() and token_authenticate(plain) is None
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(opd.pk)]
    assert own.get(reverse("accounts:me")).status_code == 302  # the leaver's open session has ended
    refused = Client().post(reverse("accounts:login"), {"username": opd.username, "password": DEMO_PASSWORD})
    assert refused.status_code == 200 and "Nama pengguna atau kata sandi salah." in refused.content.decode()
    handed = AuditEvent.objects.get(action="kla.people.handed_over", object_id=str(opd.pk))
    assert handed.after["successor"] == "opd-pengganti" and handed.after["memberships"] == 1
    deactivated = AuditEvent.objects.get(action="kla.user.deactivated", object_id=str(opd.pk))
    assert deactivated.actor.username == "gt-palembang" and deactivated.reason == "Pindah tugas."
    assert deactivated.after == {"is_active": False, "tokens": 1, "sessions": 1, "memberships": [leaving.pk]}
    # history kept: what the leaver did still names them
    created = AuditEvent.objects.get(action="kla.api_token.created", actor=opd)
    assert created.actor_label == "opd-palembang"
    assert client_for("secretariat").get(_url(opd)).status_code == 404  # no longer among the managed users


def test_without_a_successor_the_roles_are_revoked_and_nothing_moves(client_for, user_of) -> None:
    opd = user_of("opd")
    response = client_for("secretariat").post(_url(opd), {"successor": "", "reason": "Pensiun."})
    assert response.status_code == 302
    opd.refresh_from_db()
    assert not opd.is_active and not Membership.objects.active().filter(user=opd).exists()
    assert not AuditEvent.objects.filter(action="kla.people.handed_over").exists()


def test_a_reason_is_required_and_nothing_changes_without_it(client_for, user_of) -> None:
    opd = user_of("opd")
    response = client_for("secretariat").post(_url(opd), {"successor": ""})
    assert response.status_code == 422 and "Tuliskan alasan penonaktifan." in response.content.decode()
    opd.refresh_from_db()
    assert opd.is_active


def test_the_last_secretariat_of_a_region_needs_a_successor(client_for, user_of) -> None:
    gt = user_of("secretariat")
    client = client_for("province")
    response = client.post(_url(gt), {"successor": "", "reason": "Mutasi."})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Sekretariat Gugus Tugas KLA terakhir yang aktif di Kota Palembang" in body
    gt.refresh_from_db()
    assert gt.is_active and Membership.objects.active().filter(user=gt, role="secretariat").exists()
    successor = _new(
        "gt-pengganti", Role.OPD_OPERATOR, PALEMBANG, Agency.objects.get(region_id=PALEMBANG, kind="DINKES")
    )
    # a successor who does not take the secretariat role does not help
    response = client.post(_url(gt), {"successor": successor.pk, "memberships": [], "reason": "Mutasi."})
    assert response.status_code == 422
    leaving = Membership.objects.active().get(user=gt, role="secretariat")
    response = client.post(_url(gt), {"successor": successor.pk, "memberships": [leaving.pk], "reason": "Mutasi."})
    assert response.status_code == 302
    gt.refresh_from_db()
    assert not gt.is_active
    assert Membership.objects.active().filter(user=successor, role="secretariat", region_id=PALEMBANG).exists()


def test_a_second_secretariat_lets_the_first_go_without_a_successor(client_for, user_of) -> None:
    _new("gt-kedua", Role.SECRETARIAT, PALEMBANG)
    gt = user_of("secretariat")
    assert client_for("province").post(_url(gt), {"successor": "", "reason": "Mutasi."}).status_code == 302


def test_a_reviewers_returned_indicators_and_field_team_seat_go_to_the_successor(client_for, user_of) -> None:
    reviewer = user_of("province")
    entry = _returned_by(reviewer)
    plan = FieldPlan.objects.create(evaluation=_evaluation(), visit_date=dt.date(2026, 12, 20))
    plan.team.add(reviewer)
    successor = _new("prov-pengganti", Role.PROVINCE_REVIEWER, "16")
    client = client_for("ministry_admin")
    page = client.get(_url(reviewer)).content.decode()
    assert 'id="work-entries"' in page and 'id="work-field-plans"' in page
    leaving = list(Membership.objects.active().filter(user=reviewer).values_list("pk", flat=True))
    response = client.post(_url(reviewer), {"successor": successor.pk, "memberships": leaving, "reason": "Pensiun."})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.returned_by_id == successor.pk and entry.status == Entry.Status.RETURNED
    assert set(plan.team.values_list("username", flat=True)) == {"prov-pengganti"}
    told = Notification.objects.filter(user=successor)
    assert {n.kind for n in told} == {"returned", "field_visit"}
    assert all("Anda menggantikan" in n.title for n in told)
    handed = AuditEvent.objects.get(action="kla.people.handed_over")
    assert handed.after == {"successor": "prov-pengganti", "memberships": 0, "entries": 1, "field_plans": 1}


def test_nobody_deactivates_themselves(client_for, user_of) -> None:
    gt = user_of("secretariat")
    client = client_for("secretariat")
    page = client.get(_url(gt))
    assert page.status_code == 200 and "tidak dapat menonaktifkan akun Anda sendiri" in page.content.decode()
    assert client.post(_url(gt), {"successor": "", "reason": "x"}).status_code == 403
    gt.refresh_from_db()
    assert gt.is_active


def test_a_secretariat_cannot_deactivate_someone_holding_a_role_beyond_its_own(client_for) -> None:
    double = _new("gt-dan-prov", Role.SECRETARIAT, PALEMBANG)
    accounts.membership_grant(user=double, role=Role.PROVINCE_REVIEWER, region=Region.objects.get(pk="16"), by=None)
    client = client_for("secretariat")
    assert "di luar kewenangan Anda" in client.get(_url(double)).content.decode()
    assert client.post(_url(double), {"successor": "", "reason": "x"}).status_code == 403
    assert User.objects.get(pk=double.pk).is_active


def test_another_regions_user_is_not_found_and_an_operator_manages_nobody(client_for, user_of) -> None:
    opd = user_of("opd")
    assert client_for("other_secretariat").get(_url(opd)).status_code == 404
    assert client_for("other_secretariat").post(_url(opd), {"reason": "x"}).status_code == 404
    assert client_for("opd").get(_url(user_of("secretariat"))).status_code == 403
    assert User.objects.get(pk=opd.pk).is_active


def test_the_user_pages_link_to_import_and_deactivation(client_for, user_of) -> None:
    client = client_for("secretariat")
    assert reverse("people:import") in client.get(reverse("accounts:users")).content.decode()
    detail = client.get(reverse("accounts:user_detail", args=[user_of("opd").pk])).content.decode()
    assert _url(user_of("opd")) in detail and "Serahkan pekerjaan dan nonaktifkan" in detail


def test_a_successor_outside_the_managers_scope_is_refused(client_for, user_of) -> None:
    opd = user_of("opd")
    stranger = user_of("other_secretariat")  # Kota Lubuklinggau's secretariat: not Palembang's to hand work to
    response = client_for("secretariat").post(_url(opd), {"successor": stranger.pk, "reason": "Pindah tugas."})
    assert response.status_code == 422
    opd.refresh_from_db()
    assert opd.is_active and not Membership.objects.active().filter(user=stranger, region_id=PALEMBANG).exists()
