"""The outbound wrapper: which addresses it refuses, and what each failure means."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from pregonero.channels import outbound
from pregonero.channels.outbound import HttpError, check_target, parse_retry_after

NOW = datetime(2025, 6, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def guarded(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = False
    settings.OUTBOUND_ALLOWED_HOSTS = []
    return settings


@pytest.fixture
def open_network(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    return settings


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/",
        "http://localhost/",
        "http://10.1.2.3/",
        "http://192.168.1.10/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
    ],
)
def test_non_public_addresses_are_refused_for_good(guarded, url):
    with pytest.raises(HttpError) as refused:
        check_target(url)
    assert refused.value.permanent
    assert refused.value.message == outbound.MESSAGES["private"]


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/", "http:///nohost"])
def test_addresses_that_are_not_web_addresses_are_refused(guarded, url):
    with pytest.raises(HttpError) as refused:
        check_target(url)
    assert refused.value.permanent


def test_a_public_address_is_allowed(guarded):
    check_target("https://93.184.215.14/api/v1/statuses")


def test_an_allowed_network_lets_a_private_address_through(guarded):
    guarded.OUTBOUND_ALLOWED_HOSTS = ["10.0.0.0/8"]
    check_target("http://10.1.2.3/")
    with pytest.raises(HttpError):
        check_target("http://192.168.1.10/")


def test_an_allowed_host_name_lets_its_private_address_through(guarded):
    guarded.OUTBOUND_ALLOWED_HOSTS = ["localhost"]
    check_target("http://localhost:8080/")


def test_the_guard_refuses_before_any_request_is_sent(guarded, sink):
    with pytest.raises(HttpError):
        outbound.request("POST", sink.url, json={})
    assert sink.calls == []


def test_private_addresses_are_allowed_when_settings_say_so(open_network):
    check_target("http://127.0.0.1:8000/")


def test_retry_after_in_seconds_is_read():
    assert parse_retry_after(httpx.Headers({"Retry-After": "120"}), NOW) == 120


def test_retry_after_as_an_http_date_is_read():
    headers = httpx.Headers({"Retry-After": "Sun, 01 Jun 2025 10:05:00 GMT"})
    assert parse_retry_after(headers, NOW) == 300


def test_an_epoch_rate_limit_reset_is_read_as_time_left():
    reset = int((NOW + timedelta(seconds=90)).timestamp())
    assert parse_retry_after(httpx.Headers({"x-rate-limit-reset": str(reset)}), NOW) == 90


def test_an_iso_rate_limit_reset_is_read_as_time_left():
    headers = httpx.Headers({"X-RateLimit-Reset": "2025-06-01T10:00:30.000Z"})
    assert parse_retry_after(headers, NOW) == 30


def test_a_reset_in_the_past_means_no_wait_and_garbage_means_unknown():
    assert parse_retry_after(httpx.Headers({"Retry-After": "Sun, 01 Jun 2025 09:00:00 GMT"}), NOW) == 0
    assert parse_retry_after(httpx.Headers({"Retry-After": "soon"}), NOW) is None
    assert parse_retry_after(httpx.Headers({}), NOW) is None


@pytest.mark.parametrize(
    ("status", "permanent", "message"),
    [
        (400, True, "refused"),
        (401, True, "auth"),
        (403, True, "auth"),
        (404, True, "refused"),
        (422, True, "refused"),
        (408, False, "busy"),
        (429, False, "slow_down"),
        (500, False, "busy"),
        (503, False, "busy"),
    ],
)
def test_each_status_is_mapped_to_a_permanent_or_transient_error(
    open_network, sink, status, permanent, message
):
    sink.fail_next(status=status, retry_after="7")
    with pytest.raises(HttpError) as failed:
        outbound.request("POST", sink.url, json={})
    assert failed.value.permanent is permanent
    assert failed.value.status == status
    assert failed.value.message == outbound.MESSAGES[message]
    assert failed.value.retry_after == (None if permanent else 7)


def test_a_successful_answer_is_returned(open_network, sink):
    response = outbound.request("POST", sink.url, json={"text": "hola"}, headers={"Idempotency-Key": "k"})
    assert response.status_code == 201
    assert sink.posts_for("k") == [response.json()["id"]]


def test_a_connection_that_cannot_be_opened_is_retried_then_transient(open_network, monkeypatch):
    monkeypatch.setattr(outbound, "CONNECT_BACKOFF", 0)
    attempts = []
    real_request = httpx.Client.request

    def counting(self, *args, **kwargs):
        attempts.append(args)
        return real_request(self, *args, **kwargs)

    monkeypatch.setattr(httpx.Client, "request", counting)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    with pytest.raises(HttpError) as failed:
        outbound.request("POST", f"http://127.0.0.1:{closed_port}/", json={})
    assert not failed.value.permanent
    assert not failed.value.ambiguous
    assert len(attempts) == outbound.CONNECT_RETRIES + 1


def test_a_connection_cut_after_sending_is_transient_and_ambiguous(open_network, sink):
    sink.crash_next()
    with pytest.raises(HttpError) as failed:
        outbound.request("POST", sink.url, json={}, headers={"Idempotency-Key": "k"})
    assert not failed.value.permanent
    assert failed.value.ambiguous
    assert len(sink.posts_for("k")) == 1


def test_a_network_that_does_not_answer_in_time_is_transient_and_ambiguous(open_network, sink):
    sink.hang_next()
    try:
        with pytest.raises(HttpError) as failed:
            outbound.request("POST", sink.url, json={}, timeout=0.3)
    finally:
        sink.release()
    assert failed.value.message == outbound.MESSAGES["timeout"]
    assert failed.value.ambiguous
    assert not failed.value.permanent
