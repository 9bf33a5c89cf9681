"""`kg serve`: the store as a SPARQL 1.1 Protocol endpoint, with a query page and the graph explorer.

Routes (a small Starlette app run by uvicorn):

    GET/POST /query (also /sparql)   SPARQL 1.1 Protocol queries; results as SPARQL JSON, XML, CSV or TSV,
                                     graphs as Turtle, N-Triples or RDF/XML, by the Accept header or ?format=
    POST /update                     SPARQL Update, only with --allow-update and the Bearer token
    GET /store                       the whole dataset as N-Quads (Graph Store Protocol, Oxigraph's path)
    GET /health                      JSON status, with how busy the workers are
    GET /                            a page to type queries and see results (its script: /page.js)
    GET /explorer                    the HTML graph explorer of the current graph

Queries run in worker processes (kg.serve.workers) so that one running past --timeout is stopped
by killing its process; results are cut after --max-results rows or triples or --max-answer-mb of
values (the response then carries `X-KG-Truncated: true`). Queries see the union of all graphs
unless they name graphs or the request gives default-graph-uri / named-graph-uri.

Before a query reaches a worker it is checked (kg.sparql): length, bracket depth, and SERVICE
(refused unless its endpoint is allowed with --allow-service). The documented prefixes need no
declaration. Limits on connections, request heads, bodies and slow clients are in kg.serve.guard.
"""

from __future__ import annotations

import hmac
import json
import threading
import time
from collections import OrderedDict
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from kg.serve.answers import GRAPH_TYPES, RESULT_TYPES, QueryTimeout
from kg.serve.guard import BodyRefused, GuardMiddleware, TokenBrake, allowed_hosts, protocol_class, read_body
from kg.serve.negotiation import FORMATS, form_fields, negotiate
from kg.serve.options import ServeOptions
from kg.serve.workers import WorkerError, WorkerOutOfMemory, WorkerPool
from kg.sparql import QueryRejected, check_query
from kg.vocab import ontology_dir

HERE = Path(__file__).resolve().parent
PAGE_FILE = HERE / "page.html"
PAGE_ASSETS = {"page.js": "text/javascript", "page.css": "text/css"}
EXPLORER_PAGES = 8  # explorer pages kept (least recently used dropped first)
EXPLORER_RENDERS = 2  # explorer views drawn at once: each holds its graph in the server's own memory
EXAMPLE_QUERIES = ontology_dir() / "queries"
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _refused(message: str, status: int) -> Response:
    return PlainTextResponse(message.rstrip("\n") + "\n", status_code=status)


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


class Endpoint:
    """The state behind the routes: options, the worker pool, and the explorer page cached until an update."""

    def __init__(self, options: ServeOptions) -> None:
        if options.allow_update and not options.token:
            raise ValueError("--allow-update needs --token (or $KG_TOKEN): updates are only taken with that token")
        self.options = options
        self.pool: WorkerPool | None = None
        self._explorer: OrderedDict[str, str] = OrderedDict()
        self.renders = threading.BoundedSemaphore(EXPLORER_RENDERS)  # a thread's lock: renders run in threads
        self.brake = TokenBrake(attempts=options.token_attempts)

    def start(self) -> None:
        """Start the worker processes (one writable worker when updates are allowed)."""
        writable = self.options.allow_update
        workers = 1 if writable else max(1, self.options.workers)
        self.pool = WorkerPool(
            self.options.store,
            workers=workers,
            read_only=not writable,
            memory_mb=self.options.worker_memory_mb or None,
            per_client=self.options.per_client,
        )

    def stop(self) -> None:
        """Stop the worker processes."""
        if self.pool is not None:
            self.pool.close()

    async def run(self, kind: str, payload, request: Request | None = None, *, deadline: float | None = None):
        timeout = self.options.timeout if kind != "dump" else None
        client = _client(request) if request is not None else "local"
        return await run_in_threadpool(self.pool.run, kind, payload, timeout, client=client, deadline=deadline)

    def _deadline(self) -> float:
        return time.monotonic() + self.options.timeout

    async def _text(self, request: Request) -> str:
        """Read the body as UTF-8 text within the size and time limits; raises BodyRefused (400 when not UTF-8)."""
        body = await read_body(request, self.options.max_body_bytes, self.options.body_timeout)
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BodyRefused(f"the request body is not UTF-8 (byte {exc.start})", 400) from None

    def _check(self, text: str) -> None:
        options = self.options
        check_query(
            text,
            allowed_services=options.allow_service,
            max_chars=options.max_query_chars,
            max_depth=options.max_depth,
        )

    # -- routes --------------------------------------------------------------------------
    async def query(self, request: Request) -> Response:
        deadline = self._deadline()  # the timeout counts from arrival
        params = request.query_params
        fields: dict[str, list[str]] = {k: params.getlist(k) for k in params}
        query_text = update_text = None
        try:
            if request.method == "POST":
                media = request.headers.get("content-type", "").split(";")[0].strip().lower()
                if media == "application/sparql-query":
                    query_text = await self._text(request)
                elif media == "application/sparql-update":
                    update_text = await self._text(request)
                elif media == "application/x-www-form-urlencoded":
                    fields.update(form_fields(await self._text(request)))
                else:
                    return _refused("POST a query as application/sparql-query or a form", 415)
        except BodyRefused as exc:
            return _refused(str(exc), exc.status)
        query_text = query_text or (fields.get("query") or [None])[0]
        update_text = update_text or (fields.get("update") or [None])[0]
        if update_text is not None and query_text is None:
            return await self._update(request, update_text, deadline)
        if not query_text:
            return _refused("give a SPARQL query: ?query=… or POST it", 400)
        try:
            self._check(query_text)
        except QueryRejected as exc:
            return _refused(str(exc), exc.status)
        fmt = (fields.get("format") or fields.get("output") or [None])[0]
        accept = FORMATS.get(fmt, fmt) if fmt else request.headers.get("accept")
        results_type = negotiate(accept, RESULT_TYPES)
        graph_type = negotiate(accept, GRAPH_TYPES)
        if results_type is None and graph_type is None:
            offered = ", ".join([*RESULT_TYPES, *GRAPH_TYPES])
            return PlainTextResponse(f"cannot answer in {accept}; offered: {offered}", status_code=406)
        payload = {
            "query": query_text,
            "results_type": results_type or RESULT_TYPES[0],
            "graph_type": graph_type or next(iter(GRAPH_TYPES)),
            "max_results": self.options.max_results or None,
            "max_bytes": self.options.max_answer_bytes or None,
            "default_graphs": fields.get("default-graph-uri", []),
            "named_graphs": fields.get("named-graph-uri", []),
        }
        try:
            answer = await self.run("query", payload, request, deadline=deadline)
        except QueryTimeout as exc:
            return _refused(f"query {exc}", 503)
        except WorkerOutOfMemory as exc:
            return _refused(str(exc), 503)
        except WorkerError as exc:
            return _refused(str(exc), 500)
        headers = (
            {
                "X-KG-Truncated": "true",
                "X-KG-Max-Results": str(self.options.max_results),
                "X-KG-Max-Bytes": str(self.options.max_answer_bytes),
            }
            if answer.truncated
            else {}
        )
        media = answer.media_type + ("; charset=utf-8" if answer.media_type.startswith("text/") else "")
        return Response(answer.body, status_code=answer.status, media_type=media, headers=headers)

    async def update(self, request: Request) -> Response:
        deadline = self._deadline()
        if request.method != "POST":
            return _refused("POST the update", 405)
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            body = await self._text(request)
        except BodyRefused as exc:
            return _refused(str(exc), exc.status)
        text = body if media == "application/sparql-update" else (form_fields(body).get("update") or [None])[0]
        if not text:
            return _refused("give a SPARQL update", 400)
        return await self._update(request, str(text), deadline)

    async def _update(self, request: Request, text: str, deadline: float) -> Response:
        if not self.options.allow_update:
            return _refused("this endpoint is read-only (start kg serve with --allow-update --token-file F)", 403)
        client = _client(request)
        wait = self.brake.wait(client)
        if wait > 0:
            return PlainTextResponse(
                f"too many wrong tokens; try again in {wait:.0f} s\n",
                status_code=429,
                headers={"Retry-After": str(int(wait) + 1)},
            )
        token = _bearer(request)
        if token is None or not hmac.compare_digest(token.encode(), self.options.token.encode()):
            self.brake.failed(client)
            return PlainTextResponse(
                "updates need the server's token: Authorization: Bearer …\n",
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer realm="kg"'},
            )
        try:
            self._check(text)
        except QueryRejected as exc:
            return _refused(str(exc), exc.status)
        try:
            answer = await self.run("update", text, request, deadline=deadline)
        except QueryTimeout as exc:
            return _refused(f"update {exc}; nothing was changed", 503)
        except WorkerError as exc:
            return _refused(str(exc), 503 if isinstance(exc, WorkerOutOfMemory) else 500)
        self._explorer.clear()
        return Response(answer.body or None, status_code=answer.status, media_type=answer.media_type)

    async def dump(self, request: Request) -> Response:
        if request.query_params.get("graph") or "default" in request.query_params:
            return PlainTextResponse("only a GET of the whole dataset is offered here", status_code=400)
        try:
            answer = await self.run("dump", None, request)
        except WorkerError as exc:
            return _refused(str(exc), 500)
        return Response(answer.body, media_type=answer.media_type)

    async def health(self, request: Request) -> Response:
        """Status without touching a worker, the store or the pool's lock: "ok", or "saturated" when requests are
        waiting for a worker."""
        options, pool = self.options, self.pool
        busy, waiting = (pool.busy, pool.waiting) if pool else (0, 0)
        size = pool.size if pool else 0
        return JSONResponse(
            {
                "status": "saturated" if waiting else "ok",
                "store": Path(options.store).name,  # the name only: the path says too much about the host
                "updates": options.allow_update,
                "workers": size,
                "busy_workers": busy,
                "waiting_requests": waiting,
                "timeout": options.timeout,
                "max_results": options.max_results,
                "restarted_workers": pool.restarts if pool else 0,
            }
        )

    async def asset(self, request: Request) -> Response:
        """The query page's script and style sheet (served, so the page's CSP needs no inline script)."""
        name = request.url.path.lstrip("/")
        return Response((HERE / name).read_bytes(), media_type=PAGE_ASSETS[name] + "; charset=utf-8")

    async def page(self, request: Request) -> Response:
        examples = [
            {"name": path.stem, "query": path.read_text(encoding="utf-8")}
            for path in sorted(EXAMPLE_QUERIES.glob("*.rq"))
        ]
        # "</" is escaped so no query text can close the script element the examples sit in.
        data = json.dumps(examples, ensure_ascii=False).replace("</", "<\\/")
        html = PAGE_FILE.read_text(encoding="utf-8").replace("/*EXAMPLES*/[]", data)
        return HTMLResponse(html, headers={"Content-Security-Policy": PAGE_POLICY})

    async def explorer(self, request: Request) -> Response:
        try:
            from kg.explorer import project, render_html
        except ImportError as exc:
            return PlainTextResponse(f"the explorer is not available: {exc}", status_code=501)
        params = request.query_params
        options = {k: params[k] for k in ("focus", "since", "until") if params.get(k)}
        try:
            for name in ("hops", "max_nodes"):
                if params.get(name):
                    options[name] = int(params[name])
        except ValueError:
            return PlainTextResponse("hops and max_nodes are whole numbers", status_code=400)
        collapsed = params.get("collapse") in ("1", "true", "yes")
        key = json.dumps([options, collapsed], sort_keys=True)
        if key not in self._explorer:
            client = _client(request)

            def select(sparql: str) -> list[dict]:
                return self.pool.run("select", sparql, self.options.timeout, client=client)

            def render() -> str:
                return render_html(project(select, **options), collapsed=collapsed)

            if not self.renders.acquire(blocking=False):
                return PlainTextResponse(
                    "the explorer is busy drawing other views; try again in a moment\n",
                    status_code=503,
                    headers={"Retry-After": "2"},
                )
            try:
                page = await run_in_threadpool(render)
            except QueryTimeout as exc:
                return _refused(f"explorer query {exc}", 503)
            except WorkerError as exc:
                return _refused(str(exc), 503 if isinstance(exc, WorkerOutOfMemory) else 500)
            except (LookupError, ValueError) as exc:
                return _refused(str(exc), 400)
            finally:
                self.renders.release()
            self._explorer[key] = page
            while len(self._explorer) > EXPLORER_PAGES:
                self._explorer.popitem(last=False)
        self._explorer.move_to_end(key)
        return HTMLResponse(self._explorer[key])


def create_app(options: ServeOptions, endpoint: Endpoint | None = None) -> Starlette:
    """Build the ASGI app for a store; its workers start with the app (unless already started) and stop with it."""
    endpoint = endpoint or Endpoint(options)

    @asynccontextmanager
    async def lifespan(app):
        # Each request waits for a worker in a thread; enough threads that every connection can wait.
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = max(limiter.total_tokens, options.max_connections + 8)
        if endpoint.pool is None:
            await run_in_threadpool(endpoint.start)
        try:
            yield
        finally:
            await run_in_threadpool(endpoint.stop)

    routes = [
        Route("/", endpoint.page),
        Route("/page.js", endpoint.asset),
        Route("/page.css", endpoint.asset),
        Route("/query", endpoint.query, methods=["GET", "POST"]),
        Route("/sparql", endpoint.query, methods=["GET", "POST"]),
        Route("/update", endpoint.update, methods=["GET", "POST"]),
        Route("/store", endpoint.dump),
        Route("/health", endpoint.health),
        Route("/explorer", endpoint.explorer),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.endpoint = endpoint
    hosts = allowed_hosts(options.host, options.allowed_hosts)
    guarded = GuardMiddleware(app, hosts, options.max_header_bytes)
    guarded.state = app.state
    return guarded


def serve(options: ServeOptions, port: int = 7878) -> None:
    """Run the endpoint on options.host until interrupted (Ctrl-C); takes the options and port; returns when stopped.

    Raises WorkerError (with the store's message) when the store cannot be opened, before listening.
    """
    import uvicorn

    endpoint = Endpoint(options)
    endpoint.start()
    app = create_app(options, endpoint)
    config = uvicorn.Config(
        app,
        host=options.host,
        port=port,
        log_level="warning",
        timeout_graceful_shutdown=5,
        http=protocol_class(max_connections=options.max_connections, header_timeout=options.header_timeout),
        # the guard keeps at most max_connections open; uvicorn answers 503 from its limit on, so one above
        limit_concurrency=options.max_connections + 1,
        # asyncio accepts up to `backlog` sockets in one go before the guard can close any: keep that burst
        # near the cap, so a flood cannot run the process out of file handles between two turns of the loop
        backlog=max(64, options.max_connections),
        timeout_keep_alive=options.keep_alive,
        # h11 counts only the part of a head received so far, so how the bytes happened to arrive decided
        # between its 400 and the guard's 431 for the same request. Its cap sits well above the guard's
        # limit: heads up to it always reach the guard (414/431); larger ones still end at h11 (400).
        h11_max_incomplete_event_size=max(4 * options.max_header_bytes, 64 << 10),
    )
    try:
        uvicorn.Server(config).run()
    finally:
        endpoint.stop()
