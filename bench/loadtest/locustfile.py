"""The deadline-surge scenario (docs/benchmarks.md), run by bench/loadtest/run.py at 1× and 3×.

Rates follow bench/load_model.py: at factor f, ~35·f page requests/s (page views, autosaves, reviewer verdicts,
public pages) and 1.1·f uploads/s of evidence PDFs (70 % 1–3 MB, 25 % 5–10 MB, 5 % 20–45 MB). Each simulated person
is a distinct national account; every operator writes only the questions assigned to its own agency, so every
acknowledged autosave and upload can be checked afterwards (integrity.py). Acknowledgements go to ACK_DIR.

Environment: LOADTEST_PLAN (plan.json), LOADTEST_FACTOR (1 or 3), LOADTEST_ACK_DIR, LOADTEST_WRITES_UNTIL (epoch s;
after it operators only read pages), LOADTEST_UPLOAD_SCALE (multiplies file sizes; 1.0 = the model's sizes).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import random
import re
import secrets
import time
import uuid
from http.cookiejar import Cookie
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from locust import FastHttpUser, constant_throughput, events, task

from bench.loadtest import CSRF_INPUT
from bench.loadtest.pdf import evidence_size, make_pdf
from kla.accounts import totp

PLAN: dict[str, Any] = json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text(encoding="utf-8"))
FACTOR = float(os.environ.get("LOADTEST_FACTOR", "1"))
ACK_DIR = Path(os.environ.get("LOADTEST_ACK_DIR", "."))
WRITES_UNTIL = float(os.environ.get("LOADTEST_WRITES_UNTIL", "0")) or float("inf")
UPLOAD_SCALE = float(os.environ.get("LOADTEST_UPLOAD_SCALE", "1"))
# At 3× the slow clients (slowclients.py) bring the uploads above 1×; the fast form uploads stay at this factor.
UPLOAD_FACTOR = float(os.environ.get("LOADTEST_UPLOAD_FACTOR", str(FACTOR)))
ACKS = (ACK_DIR / f"acks-{os.getpid()}-{uuid.uuid4().hex[:6]}.jsonl").open("a", encoding="utf-8")
VERSION = re.compile(rb'name="version" value="(\d+)"')
ANSWER_FORM = re.compile(rb'/jawaban/(\d+)/".*?name="version" value="(\d+)"', re.S)  # each question's form
ERROR_TEXT = re.compile(rb'class="message error"[^>]*>(.*?)</p>', re.S)  # what the page tells the user
CSRF = secrets.token_hex(16)  # a well-formed CSRF cookie value: Django accepts any 32 alphanumerics

_operators = itertools.count()
_secretariats = itertools.count()
_reviewers = itertools.count()


def operator_identity() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The next operator account and the questions this simulated person alone writes.

    With more simulated operators than accounts (small data sets), people sharing an account split its questions,
    so that every question still has exactly one writer and no autosave can conflict.
    """
    k = next(_operators)
    accounts = PLAN["operators"]
    shares = -(-OPERATOR_USERS // len(accounts))
    me = accounts[k % len(accounts)]
    return me, me["items"][(k // len(accounts)) % shares :: shares]


def ack(**fields: Any) -> None:
    ACKS.write(json.dumps({"t": time.time(), **fields}) + "\n")
    ACKS.flush()


def said(content: bytes | None) -> str:
    """The error message a refused request showed (so a failure says why), else the response's first bytes."""
    found = ERROR_TEXT.search(content or b"")
    if found:
        return re.sub(r"<[^>]+>|\s+", " ", found.group(1).decode(errors="replace")).strip()[:300]
    return repr((content or b"")[:200])


def upload_size(rng: random.Random) -> int:
    return max(int(evidence_size(rng) * UPLOAD_SCALE), 4096)


SAVABLE = ("yes_no", "number", "percentage")


def answer_fields(kind: str, rng: random.Random) -> dict[str, str]:
    """POST fields of an autosave, as the question form sends them."""
    if kind == "yes_no":
        return {"yes": rng.choice(["0", "1"])}
    if kind == "number":
        return {"number": str(rng.randint(1, 500))}
    denominator = rng.randint(50, 200)
    return {"numerator": str(rng.randint(0, denominator)), "denominator": str(denominator)}


def multipart(fields: dict[str, str], name: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()
    ]
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    body = b"".join(parts) + head + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


class Person(FastHttpUser):
    """A signed-in person: logs in through the real form (and the code step for privileged roles)."""

    abstract = True
    insecure = True
    network_timeout = 120.0
    connection_timeout = 30.0
    username = ""

    def csrf(self) -> str:
        for cookie in self.client.cookiejar:
            if cookie.name == "csrftoken":
                return str(cookie.value)
        return ""

    def headers(self, htmx: bool = True) -> dict[str, str]:
        h = {"X-CSRFToken": self.csrf(), "Referer": f"{self.host}/", "Origin": self.host or ""}
        if htmx:
            h["HX-Request"] = "true"
        return h

    def resume(self, username: str) -> None:
        """Continue a session signed in earlier in the day (plan.py made it through Django's own login)."""
        self.username = username
        host = urlsplit(self.host or "").hostname or "127.0.0.1"
        for name, value in ((PLAN["session_cookie"], PLAN["sessions"][username]), (PLAN["csrf_cookie"], CSRF)):
            self.client.cookiejar.set_cookie(
                Cookie(0, name, value, None, False, host, False, False, "/", True, True, None, False, None, None, {})
            )

    def login(self, username: str) -> None:
        self.username = username
        page = self.client.get("/akun/masuk/", name="login (page)")
        token = CSRF_INPUT.search(page.content or b"")
        form = {"username": username, "password": PLAN["password"], "csrfmiddlewaretoken": token.group(1).decode()}
        with self.client.post(
            "/akun/masuk/", data=form, headers=self.headers(htmx=False), name="login", catch_response=True
        ) as r:
            if r.status_code != 200 or (r.url or "").split("?")[0].endswith("/akun/masuk/"):
                r.failure(f"login {username}: {r.status_code} {r.url}")
                return
            if "/akun/masuk/kode/" not in (r.url or ""):
                return
        code_page = self.client.get("/akun/masuk/kode/", name="login (code page)")
        token = CSRF_INPUT.search(code_page.content or b"")
        code = totp.code_at(totp.normalise_secret(PLAN["totp_secret"]), time.time())
        form = {"code": code, "csrfmiddlewaretoken": token.group(1).decode() if token else self.csrf()}
        with self.client.post(
            "/akun/masuk/kode/", data=form, headers=self.headers(htmx=False), name="login (code)", catch_response=True
        ) as r:
            if r.status_code != 200 or "/akun/masuk/kode/" in (r.url or ""):
                r.failure(f"code step {username}: {r.status_code}")


OPERATOR_USERS = round(60 * FACTOR) + round(20 * UPLOAD_FACTOR)  # Operator + Uploader below


class Operator(Person):
    """An agency operator: dashboard, my work, the entry page, and autosaves of its own questions."""

    weight = 0
    fixed_count = round(60 * FACTOR)
    wait_time = constant_throughput(0.4)

    def on_start(self) -> None:
        me, self.items = operator_identity()
        self.saves = [i for i in self.items if i["type"] in SAVABLE]
        self.rng = random.Random(me["username"])
        self.versions: dict[tuple[int, int], int] = {}
        self.current: int | None = None  # the entry page this person has open
        self.resume(me["username"])

    @task(1)
    def dashboard(self) -> None:
        self.client.get("/", name="page: beranda")

    @task(1)
    def my_work(self) -> None:
        self.client.get("/tugas-saya/", name="page: tugas saya")

    def open_entry(self, entry: int) -> None:
        """Open an entry page, as a person does before answering its questions: remember every question's version."""
        r = self.client.get(f"/entri/{entry}/", name="page: entri")
        if r.status_code != 200:  # a failed read (503 while the database restarts) teaches us nothing
            return
        self.current = entry
        for question, version in ANSWER_FORM.findall(r.content or b""):
            self.versions[(entry, int(question))] = int(version)

    @task(2)
    def entry(self) -> None:
        if not self.items:
            self.client.get("/tugas-saya/", name="page: tugas saya")
            return
        self.open_entry(self.rng.choice(self.items)["entry"])

    @task(2)
    def autosave(self) -> None:
        if time.time() >= WRITES_UNTIL or not self.saves:
            return self.entry()
        # people answer the questions of the page they have open, now and then moving to another entry
        here = [i for i in self.saves if i["entry"] == self.current]
        item = self.rng.choice(here if here and self.rng.random() < 0.8 else self.saves)
        key = (item["entry"], item["question"])
        if key not in self.versions:
            self.open_entry(item["entry"])
            return None
        fields = answer_fields(item["type"], self.rng)
        data = {**fields, "version": str(self.versions[key]), "justification": "Diperbarui saat uji beban."}
        with self.client.post(
            f"/entri/{item['entry']}/jawaban/{item['question']}/",
            data=data,
            headers=self.headers(),
            name="autosave",
            catch_response=True,
        ) as r:
            if r.status_code == 200:
                m = VERSION.search(r.content or b"")
                self.versions[key] = int(m.group(1)) if m else self.versions[key] + 1
                ack(kind="answer", user=self.username, entry=item["entry"], question=item["question"], fields=fields)
            elif r.status_code == 409:  # someone else wrote first: not expected, every question has one writer
                r.failure("autosave conflict (409)")
                self.versions.pop(key, None)
            else:
                r.failure(f"autosave {r.status_code}")
                self.versions.pop(key, None)
                if r.status_code == 0 or r.status_code >= 500:  # no answer from the server: it may have saved
                    ack(
                        kind="answer_unacknowledged",
                        user=self.username,
                        entry=item["entry"],
                        question=item["question"],
                        fields=fields,
                        status=r.status_code,
                    )
        return None


class Uploader(Person):
    """An operator uploading evidence through the entry page's form (htmx), at 1.1·f uploads/s in all."""

    weight = 0
    fixed_count = round(20 * UPLOAD_FACTOR)
    wait_time = constant_throughput(0.055)

    def on_start(self) -> None:
        me, self.items = operator_identity()
        self.rng = random.Random("up-" + me["username"])
        self.resume(me["username"])

    @task
    def upload(self) -> None:
        if time.time() >= WRITES_UNTIL or not self.items:
            self.client.get("/tugas-saya/", name="page: tugas saya")
            return
        item = self.rng.choice(self.items)
        content = make_pdf(upload_size(self.rng))
        digest = hashlib.sha256(content).hexdigest()
        name = f"bukti-{uuid.uuid4().hex[:12]}.pdf"
        body, content_type = multipart({"evidence_type": "report", "description": "Uji beban"}, name, content)
        headers = {**self.headers(), "Content-Type": content_type}
        with self.client.post(
            f"/entri/{item['entry']}/bukti/{item['question']}/",
            data=body,
            headers=headers,
            name="upload",
            catch_response=True,
        ) as r:
            if r.status_code == 200 and name.encode() in (r.content or b""):
                ack(
                    kind="upload",
                    user=self.username,
                    entry=item["entry"],
                    question=item["question"],
                    name=name,
                    sha256=digest,
                    size=len(content),
                )
            else:
                r.failure(f"upload {r.status_code}: {said(r.content)}")


# Page requests per second at 1×, by kind of person (the model's 35): operators 60 × 0.4 = 24, secretariats
# 10 × 0.2 × 2 pages = 4, province reviewers 6 × 0.5 = 3, public 4 × 0.5 × 2 pages = 4.


class Secretariat(Person):
    weight = 0
    fixed_count = round(10 * FACTOR)
    wait_time = constant_throughput(0.2)

    def on_start(self) -> None:
        self.login(PLAN["secretariats"][next(_secretariats) % len(PLAN["secretariats"])])

    @task
    def pages(self) -> None:
        self.client.get("/evaluasi/", name="page: evaluasi")
        self.client.get("/", name="page: beranda")


class Reviewer(Person):
    """A province reviewer: the review queue and per-question acceptance (each province reviewer is one account)."""

    weight = 0
    fixed_count = min(round(6 * FACTOR), len(PLAN["reviewers"]))
    wait_time = constant_throughput(0.5)

    def on_start(self) -> None:
        me = PLAN["reviewers"][next(_reviewers) % len(PLAN["reviewers"])]
        self.items = me["items"]
        self.rng = random.Random("rv-" + me["username"])
        self.resume(me["username"])

    @task(1)
    def queue(self) -> None:
        self.client.get("/verifikasi/", name="page: antrean verifikasi")

    @task(1)
    def entry(self) -> None:
        item = self.rng.choice(self.items)
        self.client.get(f"/verifikasi/entri/{item['entry']}/", name="page: telaah entri")

    @task(2)
    def accept(self) -> None:
        item = self.rng.choice(self.items)
        with self.client.post(
            f"/verifikasi/entri/{item['entry']}/keputusan/{item['question']}/",
            data={"decision": "accepted", "reason": ""},
            headers=self.headers(),
            name="verdict",
            catch_response=True,
        ) as r:
            if r.status_code != 200:
                r.failure(f"verdict {r.status_code}: {said(r.content)}")


class Public(FastHttpUser):
    weight = 0
    fixed_count = round(4 * FACTOR)
    wait_time = constant_throughput(0.5)
    insecure = True

    @task
    def results(self) -> None:
        self.client.get("/hasil/", name="public: hasil")
        self.client.get(f"/hasil/{PLAN['published_cycle']}/", name="public: siklus")


@events.quitting.add_listener
def _close(environment: Any, **_kw: Any) -> None:
    ACKS.close()
