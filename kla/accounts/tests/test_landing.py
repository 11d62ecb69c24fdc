"""After signing in, each role lands on its work (a safe `?next=` first), and cycle management has a menu entry for
those allowed to manage cycles."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from kla.accounts import totp
from kla.accounts.models import Membership, User
from kla.accounts.roles import Role
from kla.accounts.services import user_create
from kla.accounts.views.landing import LANDING_PRECEDENCE, landing_url
from kla.demo.data import DEMO_PASSWORD, DEMO_TOTP_SECRET
from kla.evaluations.models import Evaluation
from kla.regions.models import Region

pytestmark = pytest.mark.django_db


def _palembang_dashboard() -> str:
    pk = Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.71").pk
    return reverse("evaluations:evaluation_detail", args=[pk])


def sign_in(username: str, next_url: str = "") -> tuple[Client, str]:
    """Sign in through the pages (with the authenticator's code for privileged roles); where the browser ends up."""
    client = Client()
    data = {"username": username, "password": DEMO_PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post(reverse("accounts:login"), data)
    assert response.status_code == 302
    if response.url.startswith(reverse("accounts:login_code")):
        code = totp.code_at(DEMO_TOTP_SECRET, time.time())
        response = client.post(response.url, {"code": code, "next": next_url} if next_url else {"code": code})
        assert response.status_code == 302
    return client, response.url


@pytest.mark.parametrize(
    ("username", "landing"),
    [
        ("opd-palembang", lambda: reverse("evaluations:my_work")),
        ("gt-palembang", _palembang_dashboard),
        ("prov-sumsel", lambda: reverse("verification:queue")),
        ("kemen-verifikator", lambda: reverse("verification:queue")),
        ("kemen-lapangan", lambda: reverse("fieldvisits:index")),
        ("kemen-admin", lambda: reverse("evaluations:cycles")),
        ("tanpa-peran", lambda: reverse("accounts:me")),
    ],
)
def test_each_role_lands_on_its_work(username: str, landing) -> None:  # type: ignore[no-untyped-def]
    client, url = sign_in(username)
    assert url == landing()
    assert client.get(url).status_code == 200


def test_a_safe_next_wins_over_the_landing_page() -> None:
    _client, url = sign_in("gt-palembang", next_url="/instrumen/")
    assert url == "/instrumen/"
    _client, url = sign_in("kemen-admin", next_url="/verifikasi/")  # carried through the second step
    assert url == "/verifikasi/"


@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example/siklus/", "javascript:alert(1)"])
def test_an_unsafe_next_is_ignored_for_the_landing_page(unsafe: str) -> None:
    _client, url = sign_in("opd-palembang", next_url=unsafe)
    assert url == reverse("evaluations:my_work")
    _client, url = sign_in("kemen-admin", next_url=unsafe)
    assert url == reverse("evaluations:cycles")


def test_a_signed_in_user_opening_the_login_page_goes_to_their_work() -> None:
    client, _url = sign_in("opd-palembang")
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 302 and response.url == reverse("evaluations:my_work")


def test_several_memberships_land_by_role_precedence() -> None:
    """The rule: ministry administrator, field verifier, ministry verifier, province reviewer, secretariat, operator."""
    assert LANDING_PRECEDENCE == (
        Role.MINISTRY_ADMIN,
        Role.FIELD_VERIFIER,
        Role.MINISTRY_VERIFIER,
        Role.PROVINCE_REVIEWER,
        Role.SECRETARIAT,
        Role.OPD_OPERATOR,
    )
    operator = User.objects.get(username="opd-palembang")
    assert landing_url(operator) == reverse("evaluations:my_work")
    Membership.objects.create(user=operator, role=Role.SECRETARIAT, region_id="16.71")
    operator = User.objects.get(pk=operator.pk)  # memberships are cached per user object
    assert landing_url(operator) == _palembang_dashboard()  # the secretariat comes before the operator
    Membership.objects.create(user=operator, role=Role.MINISTRY_VERIFIER, region_id=None)
    operator = User.objects.get(pk=operator.pk)
    assert landing_url(operator) == reverse("verification:queue")


def test_a_secretariat_without_an_opened_evaluation_lands_on_the_evaluation_list() -> None:
    user = user_create(
        username="gt-baru",
        full_name="Sekretariat Baru",
        email="gt.baru@example.go.id",
        password="Jembatan-Ampera-Kokoh-41",
        role=Role.SECRETARIAT,
        region=Region.objects.get(code="11.01"),
        by=None,
    )
    assert landing_url(user) == reverse("evaluations:evaluations")


def _nav(client: Client) -> str:
    body = client.get(reverse("site:home")).content.decode()
    return body[body.index('class="main-nav"') : body.index("</nav>", body.index('class="main-nav"'))]


@pytest.mark.parametrize("persona", ["ministry_admin"])
def test_cycle_management_has_a_menu_entry_for_those_allowed(client_for, persona: str) -> None:
    nav = _nav(client_for(persona))
    assert f'href="{reverse("evaluations:cycles")}"' in nav and ">Siklus<" in nav
    page = client_for(persona).get(reverse("evaluations:cycles")).content.decode()
    assert 'aria-current="page">Siklus<' in page


OTHERS = ["opd", "secretariat", "province", "ministry_verifier", "field_verifier", "no_role"]


@pytest.mark.parametrize("persona", OTHERS)
def test_no_cycle_menu_entry_for_the_others(client_for, persona: str) -> None:
    assert f'href="{reverse("evaluations:cycles")}"' not in _nav(client_for(persona))


def test_the_cycles_page_gives_the_administrator_its_next_step(client_for) -> None:
    from kla.evaluations.models import Cycle
    from kla.evaluations.services import cycle_create
    from kla.evaluations.stages import Stage
    from kla.indicators.models import Framework

    client = client_for("ministry_admin")
    assert "Langkah berikutnya" not in client.get(reverse("evaluations:cycles")).content.decode()
    open_cycle = Cycle.objects.get(code="evaluasi-kla-demo")
    cycle_create(
        code="kla-berikut",
        name="Evaluasi KLA berikutnya",
        year=open_cycle.year + 1,
        framework=Framework.objects.order_by("-year").first(),
        deadlines={Stage(d.stage): (d.starts_at, d.ends_at) for d in open_cycle.deadlines.all()},
        by=None,
    )
    html = client.get(reverse("evaluations:cycles")).content.decode()
    assert "Periksa jadwal siklus yang disiapkan, lalu buka siklus." in html
    assert f'href="{reverse("evaluations:cycle_detail", args=["kla-berikut"])}#buka"' in html
    detail = client.get(reverse("evaluations:cycle_detail", args=["kla-berikut"])).content.decode()
    assert 'id="buka"' in detail
    Evaluation.objects.filter(cycle=open_cycle, region_id="16.71").update(status="determined")
    html = client.get(reverse("evaluations:cycles")).content.decode()
    assert "Umumkan hasil: 1 kabupaten/kota sudah ditetapkan." in html
    assert reverse("results:publication", args=["evaluasi-kla-demo"]) in html
