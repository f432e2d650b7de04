"""Endpoints as text: IPv6 hosts in brackets wherever a URL or ``host:port`` is built (RFC 3986)."""

from __future__ import annotations

WILDCARDS = ("0.0.0.0", "::", "")


def host_port(host: str, port: int) -> str:
    """``1.2.3.4:8091`` or ``[::1]:8091`` (an IPv6 literal is bracketed, a bracketed one kept)."""
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{host}:{port}"


def http_url(host: str, port: int, scheme: str = "http") -> str:
    """``http://1.2.3.4:8091`` or ``http://[::1]:8091``."""
    return f"{scheme}://{host_port(host, port)}"


def announced_ip(host: str, external_ip: str | None) -> str:
    """The IP a server listening on ``host`` announces on chain: ``external_ip`` if given, else
    ``host`` itself, or the loopback address of its family for a wildcard listen address."""
    if external_ip:
        return external_ip
    if host in WILDCARDS:
        return "::1" if host == "::" else "127.0.0.1"
    return host
