"""Who is asking: the client address behind the site's own reverse proxies, and what one allowance counts.

Shared by the 一码清 rate limit (``public.ratelimit``) and the login throttle (``core.login``).

``client_address``: ``REMOTE_ADDR`` unless that is a trusted proxy (``settings.PUBLIC_TRUSTED_PROXIES``,
env ``JINGZHUN_TRUSTED_PROXIES``: addresses or networks, default ``127.0.0.1,::1``; an empty
``REMOTE_ADDR`` — a Unix socket — counts as trusted too). Then the client is the right-most
``X-Forwarded-For`` entry that is not itself a trusted proxy: the entry the proxy appended, which a
client cannot forge (entries to its left can be). A request from a trusted address with no usable
header counts as that address.

``client_key``: IPv6 clients are counted by their /64 — one household's phone or one ISP customer gets a
whole /64 and can pick any address in it, so counting single addresses would give it 2⁶⁴ allowances.
IPv4 addresses (and IPv4-mapped IPv6 ones) count one by one.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_trusted_cache: dict[str, tuple[Network, ...]] = {}


def trusted_proxies() -> tuple[Network, ...]:
    raw = str(getattr(settings, "PUBLIC_TRUSTED_PROXIES", "127.0.0.1,::1"))
    found = _trusted_cache.get(raw)
    if found is None:
        try:
            found = tuple(ipaddress.ip_network(part.strip(), strict=False) for part in raw.split(",") if part.strip())
        except ValueError as e:
            raise ImproperlyConfigured(f"JINGZHUN_TRUSTED_PROXIES 不是地址或网段列表：{raw!r}（{e}）") from e
        _trusted_cache[raw] = found
    return found


def _trusted(addr: str, proxies: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return False
    return any(ip in net for net in proxies)


def client_address(request: HttpRequest) -> str:
    """The address the limit counts: see the module docstring (trusted proxies, X-Forwarded-For)."""
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not forwarded:
        return remote
    proxies = trusted_proxies()
    if remote and not _trusted(remote, proxies):
        return remote  # a client talking to us directly: its header is its own word
    for hop in reversed(forwarded.split(",")):
        hop = hop.strip()
        if hop and not _trusted(hop, proxies):
            try:
                return str(ipaddress.ip_address(hop))  # normalised; anything else is not an address
            except ValueError:
                return remote
    return remote


def client_key(addr: str) -> str:
    """What one allowance belongs to: an IPv4 address itself, an IPv6 address's /64 network (written as
    its first address, ``2001:db8:1:2::``, so it still fits an address column); anything that is not an
    address (e.g. an empty ``REMOTE_ADDR``) unchanged."""
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return addr
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False).network_address)
    return str(ip)
