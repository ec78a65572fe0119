"""Datasette plugin: security headers, and no off-site redirects from crafted paths.

Datasette 0.65 answers a path such as `//evil.example/` with a redirect whose Location starts
with `//` — a protocol-relative, off-site URL. Paths with a backslash or a doubled slash are
refused here before Datasette sees them, and any Location that would leave the site is dropped.
"""

from __future__ import annotations

from typing import Any

from datasette import hookimpl

SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' "
        b"'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; "
        b"base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]
_REPLACED = {name for name, _ in SECURITY_HEADERS}


def is_crafted_path(path: str) -> bool:
    """Paths only an attacker sends: backslashes, or `//` that browsers read as another host."""
    return "\\" in path or "//" in path


def is_offsite_location(location: str) -> bool:
    """A redirect target that is not a plain path on this site."""
    location = location.strip()
    return not location.startswith("/") or location.startswith("//") or "\\" in location


async def _not_found(send: Any) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 404,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), *SECURITY_HEADERS],
        }
    )
    await send({"type": "http.response.body", "body": b"Not found"})


@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    def wrap(app: Any) -> Any:
        async def secured(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            raw_path = scope.get("raw_path", b"").decode("latin-1") or scope.get("path", "")
            if is_crafted_path(scope.get("path", "")) or is_crafted_path(raw_path):
                await _not_found(send)
                return

            blocked = False

            async def send_secured(message: dict[str, Any]) -> None:
                nonlocal blocked
                if blocked:
                    return
                if message["type"] == "http.response.start":
                    headers = [
                        (name, value)
                        for name, value in message.get("headers", [])
                        if name.lower() not in _REPLACED
                    ]
                    for name, value in headers:
                        if name.lower() == b"location" and is_offsite_location(
                            value.decode("latin-1")
                        ):
                            blocked = True
                            await _not_found(send)
                            return
                    message = {**message, "headers": headers + SECURITY_HEADERS}
                await send(message)

            await app(scope, receive, send_secured)

        return secured

    return wrap
