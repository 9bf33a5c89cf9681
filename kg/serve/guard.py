"""What keeps `kg serve` standing on a network: connection and size limits, slow-client timeouts, the Host
allow-list, security headers, and the brake on token guessing.

- `protocol_class` is uvicorn's h11 protocol with two additions: at most `max_connections` stay open (a new
  one closes the connection that has waited longest for a request head, half-sent or idle, so a client
  holding many half-sent requests cannot lock the others out; when every other connection is busy
  with a request, the new one is closed), and a connection that has not sent a whole request head
  `header_timeout` seconds after it opened (or after its last answer) is closed, so half-sent requests
  cannot pile up. (`kg.serve.app` also sets the listen backlog near the cap: asyncio accepts a whole
  backlog at once, and 2,048 sockets accepted before any could be closed ran a process with the common
  1,024-handle limit out of file handles.)
- `read_body` reads a request body up to a size and a time limit.
- `GuardMiddleware` answers 400 to a Host header not on the allow-list (DNS rebinding: a page on
  attacker.example whose name now points at 127.0.0.1 would otherwise read the store) and adds
  X-Content-Type-Options, frame-ancestors and Referrer-Policy to every answer.
- `TokenBrake` counts wrong tokens per client and refuses more guesses for a while.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict

from starlette.requests import Request
from uvicorn.protocols.http.h11_impl import H11Protocol

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
WILDCARD_HOSTS = ("0.0.0.0", "::", "")
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]


def allowed_hosts(host: str, extra=()) -> frozenset[str]:
    """Return the host names a request's Host header may carry: the localhost names, the address
    listened on (unless it is a wildcard like 0.0.0.0) and the `extra` names (--allowed-host), lower-cased."""
    names = {*LOCAL_HOSTS, *(name.strip().lower().strip("[]") for name in extra if name.strip())}
    if host not in WILDCARD_HOSTS:
        names.add(host.lower().strip("[]"))
    return frozenset(names)


def host_name(header: str) -> str:
    """Return the host name of a Host header value, without the port and the brackets of an IPv6 address."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header[1:]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


async def _plain(send, status: int, text: str) -> None:
    headers = [(b"content-type", b"text/plain; charset=utf-8"), *SECURITY_HEADERS]
    headers.append((b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": text.encode()})


class GuardMiddleware:
    """ASGI middleware: refuse a request head over `max_head_bytes` (URL: 414, headers: 431) and Host headers
    not in `hosts` ("*" in hosts: any), and add security headers to every answer."""

    def __init__(self, app, hosts: frozenset[str], max_head_bytes: int = 16 << 10) -> None:
        self.app, self.hosts, self.max_head_bytes = app, hosts, max_head_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        url = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
        if url > self.max_head_bytes:
            await _plain(send, 414, f"the URL is over {self.max_head_bytes:,} bytes; POST long queries\n")
            return
        if url + sum(len(k) + len(v) + 4 for k, v in scope["headers"]) > self.max_head_bytes:
            await _plain(send, 431, f"the request headers are over {self.max_head_bytes:,} bytes\n")
            return
        header = next((value for name, value in scope["headers"] if name == b"host"), b"")
        name = host_name(header.decode("latin-1"))
        if "*" not in self.hosts and name not in self.hosts:
            text = (
                f"this server does not answer for host {name!r}; to serve that name start kg serve with "
                f"--allowed-host {name}\n"
            )
            await _plain(send, 400, text)
            return

        async def send_secured(message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in dict(SECURITY_HEADERS)]
                policy = [v for k, v in headers if k.lower() == b"content-security-policy"]
                if not policy:
                    headers.append((b"content-security-policy", b"frame-ancestors 'none'"))
                elif b"frame-ancestors" not in policy[0]:
                    headers = [(k, v) for k, v in headers if k.lower() != b"content-security-policy"]
                    headers.append((b"content-security-policy", policy[0] + b"; frame-ancestors 'none'"))
                message = {**message, "headers": headers + SECURITY_HEADERS}
            await send(message)

        await self.app(scope, receive, send_secured)


class BodyRefused(Exception):
    """A request body over the size limit (status 413) or slower than the time limit (status 408)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


async def read_body(request: Request, max_bytes: int, timeout: float) -> bytes:
    """Read a request's whole body; returns the bytes.

    Refuses (BodyRefused) a declared Content-Length over `max_bytes` before reading, a body that
    grows past it while reading, and a body that takes longer than `timeout` seconds to arrive.
    """
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise BodyRefused(f"request body of {int(declared):,} bytes is over the {max_bytes:,} byte limit", 413)
    chunks, size = [], 0
    try:
        async with asyncio.timeout(timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > max_bytes:
                    raise BodyRefused(f"request body is over the {max_bytes:,} byte limit", 413)
                chunks.append(chunk)
    except TimeoutError:
        raise BodyRefused(f"request body did not arrive within {timeout:g} s", 408) from None
    return b"".join(chunks)


class TokenBrake:
    """Count wrong tokens per client; after `attempts` in `window` seconds, that client waits out the window.

    Holds at most `max_clients` clients (the oldest are forgotten), so a flood of addresses cannot fill memory.
    """

    def __init__(self, attempts: int = 5, window: float = 60.0, max_clients: int = 10_000) -> None:
        self.attempts, self.window, self.max_clients = attempts, window, max_clients
        self._failures: OrderedDict[str, list[float]] = OrderedDict()

    def _recent(self, client: str, now: float) -> list[float]:
        times = [t for t in self._failures.get(client, []) if now - t < self.window]
        if times:
            self._failures[client] = times
        else:
            self._failures.pop(client, None)
        return times

    def wait(self, client: str) -> float:
        """Return how many seconds `client` must wait before its next token is checked (0: go ahead)."""
        now = time.monotonic()
        times = self._recent(client, now)
        return self.window - (now - times[0]) if len(times) >= self.attempts else 0.0

    def failed(self, client: str) -> None:
        """Note one wrong token from `client`."""
        now = time.monotonic()
        times = self._recent(client, now)
        self._failures[client] = [*times, now]
        self._failures.move_to_end(client)
        while len(self._failures) > self.max_clients:
            self._failures.popitem(last=False)


def protocol_class(*, max_connections: int, header_timeout: float) -> type[H11Protocol]:
    """Return uvicorn's h11 protocol with a connection cap and a request-head timeout (see the module doc)."""

    class GuardedProtocol(H11Protocol):
        def connection_made(self, transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._head_timer = None
            if not self._make_room():
                transport.abort()
                return
            self._arm_head_timer()

        def _make_room(self) -> bool:
            """Close the connections that have waited longest for a request head until this one fits under
            max_connections; returns False (nothing closed) when too few of the others are waiting."""
            others = [c for c in self.connections if c is not self and not c.transport.is_closing()]
            surplus = len(others) + 1 - max_connections
            if surplus <= 0:
                return True
            waiting = [c for c in others if getattr(c, "_head_timer", None) is not None]
            if len(waiting) < surplus:
                return False
            for oldest in sorted(waiting, key=lambda c: c._head_since)[:surplus]:
                oldest._head_timer.cancel()
                oldest._head_timer = None
                oldest.transport.abort()
            return True

        def _arm_head_timer(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
            self._head_since = self.loop.time()
            self._head_cycle = self.cycle
            self._head_timer = self.loop.call_later(header_timeout, self._head_expired)

        def _head_expired(self) -> None:
            self._head_timer = None
            waiting_for_head = self.cycle is self._head_cycle and (self.cycle is None or self.cycle.response_complete)
            if waiting_for_head and not self.transport.is_closing():
                self.transport.close()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self._head_timer is not None and self.cycle is not self._head_cycle:
                self._head_timer.cancel()  # a whole request head arrived
                self._head_timer = None

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm_head_timer()

        def connection_lost(self, exc) -> None:
            if getattr(self, "_head_timer", None) is not None:
                self._head_timer.cancel()
                self._head_timer = None
            super().connection_lost(exc)

    return GuardedProtocol
