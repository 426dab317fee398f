"""The client's address behind trusted proxies, and organisation time zones on its pages."""

from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from pregonero.core.middleware import ClientAddressMiddleware


def seen_address(settings, proxies: int, forwarded: str | None, remote="10.0.0.2") -> str:
    settings.TRUSTED_PROXY_COUNT = proxies
    seen = {}

    def view(request):
        seen["ip"] = request.META["REMOTE_ADDR"]
        return HttpResponse()

    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    ClientAddressMiddleware(view)(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))
    return seen["ip"]


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    assert seen_address(settings, 0, "203.0.113.5") == "10.0.0.2"


def test_behind_one_proxy_the_address_it_saw_is_used(settings):
    assert seen_address(settings, 1, "203.0.113.5") == "203.0.113.5"


def test_a_client_cannot_forge_its_address_behind_one_proxy(settings):
    assert seen_address(settings, 1, "1.2.3.4, 203.0.113.5") == "203.0.113.5"


def test_behind_two_proxies_the_outer_proxys_view_is_used(settings):
    assert seen_address(settings, 2, "1.2.3.4, 203.0.113.5, 10.0.0.9") == "203.0.113.5"


def test_a_missing_header_keeps_the_socket_address(settings):
    assert seen_address(settings, 1, None) == "10.0.0.2"


def test_organisation_pages_show_times_in_its_time_zone(client_for, vilanova, alba):
    vilanova.time_zone = "Atlantic/Canary"
    vilanova.save()
    response = client_for(alba).get(reverse("core:dashboard", args=[vilanova.slug]))
    assert response.context["TIME_ZONE"] == "Atlantic/Canary"
    assert timezone.get_current_timezone_name() == "Europe/Madrid"
