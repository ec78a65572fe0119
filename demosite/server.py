"""Serve a demo site over HTTP on a local port, in a background thread."""

from __future__ import annotations

import contextlib
import logging
import socket
import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from demosite.content import DemoSite

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoggedRequest:
    """One answered request: what was asked, the validators it carried, the status it got."""

    method: str
    path: str
    status: int
    if_none_match: str | None
    if_modified_since: str | None

    @property
    def conditional(self) -> bool:
        """Whether the request carried a validator (If-None-Match or If-Modified-Since)."""
        return self.if_none_match is not None or self.if_modified_since is not None


class _DemoHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    closing = False  # set by RunningServer.close: errors of connections it ends are expected

    def __init__(
        self,
        address: tuple[str, int],
        site: DemoSite,
        request_log: list[str] | None,
        request_details: list[LoggedRequest] | None = None,
    ) -> None:
        self.site = site
        self.request_log = request_log
        self.request_details = request_details
        self.log_lock = threading.Lock()
        # Connections being handled, so that closing the server can end them at once: a
        # keep-alive or half-closed connection would otherwise hold its thread until the peer
        # goes away.
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, _DemoRequestHandler)

    def process_request(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: socket.socket) -> None:  # type: ignore[override]
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def end_connections(self) -> None:
        """Shut down every open connection (their threads then end on their own)."""
        with self.connections_lock:
            connections = list(self.connections)
        for connection in connections:
            # OSError: already closed by the peer or by its thread
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that went away mid-answer (reset, broken pipe) is not an error of the site."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)) or (
            isinstance(error, OSError) and self.closing
        ):
            logger.debug("connection from %s ended: %r", client_address, error)
            return
        super().handle_error(request, client_address)


class _DemoRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; without this, Nagle's algorithm and the
    # client's delayed ACK add 40 ms to every keep-alive response.
    disable_nagle_algorithm = True
    server_version = "Apache"
    sys_version = ""
    server: _DemoHTTPServer

    def do_GET(self) -> None:
        """Answer a GET request."""
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        """Answer a HEAD request."""
        self._answer(send_body=False)

    def _log_details(self, status: int) -> None:
        server = self.server
        if server.request_details is None:
            return
        entry = LoggedRequest(
            method=self.command,
            path=self.path,
            status=status,
            if_none_match=self.headers.get("If-None-Match"),
            if_modified_since=self.headers.get("If-Modified-Since"),
        )
        with server.log_lock:
            server.request_details.append(entry)

    def _answer(self, *, send_body: bool) -> None:
        server = self.server
        if server.request_log is not None:
            with server.log_lock:
                server.request_log.append(self.path)
        host = self.headers.get("Host") or "{}:{}".format(*server.server_address[:2])
        status, headers, body = server.site.render(self.path, host, self.headers)
        self._log_details(status)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body and body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep request lines out of stderr; they are available at debug level."""
        logger.debug("%s - %s", self.address_string(), format % args)


class RunningServer:
    """A demo site being served in a daemon thread; close it (or use it as a context manager)."""

    def __init__(self, httpd: _DemoHTTPServer, thread: threading.Thread) -> None:
        self._httpd = httpd
        self._thread = thread
        self.site = httpd.site
        self.host = str(httpd.server_address[0])
        self.port = int(httpd.server_address[1])
        self.url = f"http://{self.host}:{self.port}"
        self.request_log: list[str] = httpd.request_log if httpd.request_log is not None else []
        # With log_requests: every answered request with its status and validators, in order.
        self.request_details: list[LoggedRequest] = (
            httpd.request_details if httpd.request_details is not None else []
        )

    def swap_site(self, site: DemoSite) -> None:
        """Serve another site from now on, at the same address.

        E.g. the same site with its held-back articles published, for a re-crawl; requests
        already being answered finish with the old site.
        """
        self._httpd.site = site
        self.site = site

    def close(self) -> None:
        """Stop serving, end the open connections and release the port.

        Returns promptly whatever the clients do: idle keep-alive, half-closed and
        half-sent connections are shut down, not waited for.
        """
        self._httpd.closing = True
        if self._thread.is_alive():
            self._httpd.shutdown()
            self._thread.join()
        self._httpd.end_connections()
        self._httpd.server_close()

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        held = f" hold_back={self.site.hold_back}" if self.site.hold_back else ""
        return f"<RunningServer {self.url} articles={self.site.articles}{held}>"


def serve_demo_site(
    site: DemoSite, host: str = "127.0.0.1", port: int = 0, *, log_requests: bool = False
) -> RunningServer:
    """Start serving a demo site in a daemon thread; port 0 picks a free port.

    With ``log_requests``, ``request_log`` lists every requested path as it arrives and
    ``request_details`` every answer (``LoggedRequest``: method, path, status, validators).
    """
    httpd = _DemoHTTPServer(
        (host, port), site, [] if log_requests else None, [] if log_requests else None
    )
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, name="demosite", daemon=True
    )
    thread.start()
    running = RunningServer(httpd, thread)
    logger.info("serving demo site of %d articles at %s", site.articles, running.url)
    return running
