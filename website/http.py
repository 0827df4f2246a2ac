"""What every app's public views share: the client's address and the page a dead magic link gets."""

import ipaddress

from django.conf import settings
from django.shortcuts import render


def client_ip(request):
    """The client's address: REMOTE_ADDR, or the header named by RATELIMIT_IP_META_KEY behind a proxy
    (its last value, the one the proxy itself saw, if it holds a list; REMOTE_ADDR if it is no address).
    `website.bruteforce.ClientAddressMiddleware` leaves that one address in the header for the rate limits."""
    remote = request.META.get("REMOTE_ADDR") or None
    key = settings.RATELIMIT_IP_META_KEY
    if not key or key == "REMOTE_ADDR":
        return remote
    value = (request.META.get(key) or "").split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return remote


def invalid_link(request):
    """A forged, altered, expired or revoked magic link: 404, a page saying nothing was changed."""
    return render(request, "invalid_link.html", status=404)
