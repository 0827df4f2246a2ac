from django.conf import settings
from django_ratelimit.core import is_ratelimited


def over_public_rate(request, group, rate=None):
    """Count one POST from this client for `group`; True once it is over the public-form rate."""
    return is_ratelimited(
        request,
        group=group,
        key="ip",
        rate=rate or settings.PUBLIC_FORM_RATE,
        method="POST",
        increment=True,
    )


def over_address_rate(request, group, address, rate):
    """Count one POST naming `address` (whoever sends it); True once it is over `rate`."""
    address = (address or "").strip().lower()
    return is_ratelimited(
        request, group=group, key=lambda _group, _request: address, rate=rate, method="POST", increment=True
    )
