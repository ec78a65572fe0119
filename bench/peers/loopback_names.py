"""Resolve `*.localhost` host names to 127.0.0.1 inside a peer's process (RFC 6761, section 6.3).

Some peers refuse IP addresses and `localhost` as a site's host (they need a domain with a
suffix); browsers and curl resolve every `*.localhost` name to the loopback address, but the C
library here does not. The address is $BENCH_LOOPBACK_ADDRESS (default 127.0.0.1): the benchmark
serves the site on port 80 of an address of its own in 127.0.0.0/8, since some peers also keep a
port out of a site's domain. Imported first by an adapter, before the peer's own modules.

`install` also keeps tldextract (used by news-please and newspaper4k) offline: it reads its
bundled public suffix list instead of downloading the current one.
"""

from __future__ import annotations

import os
import socket

_original_getaddrinfo = socket.getaddrinfo
_original_gethostbyname = socket.gethostbyname


def _loopback(host):  # type: ignore[no-untyped-def]
    name = host.decode() if isinstance(host, bytes) else host
    if isinstance(name, str) and name.rstrip(".").lower().endswith(".localhost"):
        return os.environ.get("BENCH_LOOPBACK_ADDRESS", "127.0.0.1")
    return host


def _getaddrinfo(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
    return _original_getaddrinfo(_loopback(host), port, *args, **kwargs)


def _gethostbyname(host):  # type: ignore[no-untyped-def]
    return _original_gethostbyname(_loopback(host))


def install() -> None:
    """Route `*.localhost` names to the loopback address for the rest of this process."""
    os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
    socket.getaddrinfo = _getaddrinfo  # type: ignore[assignment]
    socket.gethostbyname = _gethostbyname  # type: ignore[assignment]
