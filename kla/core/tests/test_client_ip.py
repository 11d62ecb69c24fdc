"""The client address for audit and throttling: REMOTE_ADDR, or the trusted proxy's X-Forwarded-For entry."""

from __future__ import annotations

from django.test import RequestFactory, override_settings

from kla.core.audit import client_ip


def _request(remote: str, forwarded: str | None = None):  # type: ignore[no-untyped-def]
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@override_settings(KLA_TRUSTED_PROXIES=["127.0.0.1", "::1"])
def test_behind_the_trusted_proxy_the_forwarded_client_counts() -> None:
    assert client_ip(_request("127.0.0.1", "203.0.113.7")) == "203.0.113.7"
    # a client that sends its own header is to the left of what nginx appends: ignored
    assert client_ip(_request("127.0.0.1", "10.0.0.1, 198.51.100.9")) == "198.51.100.9"
    assert client_ip(_request("127.0.0.1", "bukan-alamat")) == "127.0.0.1"


@override_settings(KLA_TRUSTED_PROXIES=["127.0.0.1"])
def test_a_direct_client_cannot_claim_another_address() -> None:
    assert client_ip(_request("198.51.100.20", "203.0.113.7")) == "198.51.100.20"
    assert client_ip(_request("198.51.100.20")) == "198.51.100.20"
    assert client_ip(None) is None
