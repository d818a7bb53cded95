"""Who is asking: the address of the resident's browser, for rate limits and login lockouts.

Behind the load balancer every request comes from the balancer's address; the balancer appends
the address it was connected from to X-Forwarded-For. That header is believed only when the
request came from a proxy the operator listed in TRUSTED_PROXIES, and then only as far as the
proxies they listed: reading from the right, the first address that is not a listed proxy is the
client. Anything further left was written by the client and proves nothing.
"""

import functools
import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.cache
def _trusted(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    try:
        return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES must list addresses or networks, like 10.0.0.0/8: {error}"
        ) from error


def _is_trusted(address: str, proxies: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_address(request: HttpRequest) -> str:
    """The address of the resident's browser as far as our own proxies can vouch for it."""
    address = request.META.get("REMOTE_ADDR", "")
    if not settings.TRUSTED_PROXIES:  # straight from browsers: no address to parse
        return address
    proxies = _trusted(tuple(settings.TRUSTED_PROXIES))
    if not _is_trusted(address, proxies):
        return address
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for entry in reversed([entry for entry in forwarded if entry]):
        if not _is_trusted(entry, proxies):
            return entry
        address = entry
    return address
