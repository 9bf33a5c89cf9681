"""`kg serve`: the store as a SPARQL 1.1 Protocol endpoint, with a query page and the graph explorer.

Routes (a small Starlette app run by uvicorn):

    GET/POST /query (also /sparql)   SPARQL 1.1 Protocol queries; results as SPARQL JSON, XML, CSV or TSV,
                                     graphs as Turtle, N-Triples or RDF/XML, by the Accept header or ?format=
    POST /update                     SPARQL Update, only with --allow-update and the Bearer token
    GET /store                       the whole dataset as N-Quads (Graph Store Protocol, Oxigraph's path)
    GET /health                      JSON status
    GET /                            a page to type queries and see results
    GET /explorer                    the HTML graph explorer of the current graph

Queries run in worker processes (kg.serve.workers) so that one running past --timeout is stopped
by killing its process; results are cut after --max-results rows or triples (the response then
carries `X-KG-Truncated: true`). Queries see the union of all graphs unless they name graphs or
the request gives default-graph-uri / named-graph-uri.
"""

from __future__ import annotations

import hmac
import json
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from kg.serve.workers import GRAPH_TYPES, RESULT_TYPES, QueryTimeout, WorkerError, WorkerPool
from kg.vocab import ontology_dir

PAGE_FILE = Path(__file__).resolve().parent / "page.html"
EXAMPLE_QUERIES = ontology_dir() / "queries"
# Media types clients send that mean one of ours.
ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "text/plain": "application/n-triples",
    "application/x-turtle": "text/turtle",
}
# ?format= / ?output= values (as SPARQLWrapper sends them), as Accept headers covering both kinds of answer.
FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml, application/rdf+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "n3": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "rdf": "application/rdf+xml",
    "rdfxml": "application/rdf+xml",
}
PAGE_POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'"


@dataclass(frozen=True)
class ServeOptions:
    """What `kg serve` was started with: the store directory and the limits."""

    store: str
    timeout: float = 30.0
    max_results: int = 10_000
    allow_update: bool = False
    token: str | None = None
    workers: int = 2


def negotiate(accept: str | None, offered) -> str | None:
    """Pick the offered media type the Accept header prefers; returns None when none is acceptable.

    Takes the header value (None or empty: anything) and the offered types, best default first.
    Exact types beat type/* which beat */*; among equals the earlier offered type wins.
    """
    offered = list(offered)
    if not accept:
        return offered[0]
    best, best_key = None, (0.0, -1, 0)
    for item in accept.split(","):
        media, *params = (part.strip() for part in item.split(";"))
        media = ALIASES.get(media.lower(), media.lower())
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        for index, candidate in enumerate(offered):
            if media == candidate:
                specificity = 2
            elif media == "*/*" or (media.endswith("/*") and candidate.startswith(media[:-1])):
                specificity = 1 if media != "*/*" else 0
            else:
                continue
            key = (quality, specificity, -index)
            if quality > 0 and key > best_key:
                best, best_key = candidate, key
    return best


async def _form(request: Request) -> dict[str, list[str]]:
    """Return the fields of a application/x-www-form-urlencoded body (a field may repeat)."""
    fields: dict[str, list[str]] = {}
    for name, value in parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True):
        fields.setdefault(name, []).append(value)
    return fields


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
        self._explorer: dict[str, str] = {}

    def start(self) -> None:
        """Start the worker processes (one writable worker when updates are allowed)."""
        writable = self.options.allow_update
        workers = 1 if writable else max(1, self.options.workers)
        self.pool = WorkerPool(self.options.store, workers=workers, read_only=not writable)

    def stop(self) -> None:
        """Stop the worker processes."""
        if self.pool is not None:
            self.pool.close()

    async def run(self, kind: str, payload, timeout: float | None = -1.0):
        timeout = self.options.timeout if timeout == -1.0 else timeout
        return await run_in_threadpool(self.pool.run, kind, payload, timeout)

    # -- routes --------------------------------------------------------------------------
    async def query(self, request: Request) -> Response:
        params = request.query_params
        fields: dict[str, list[str]] = {k: params.getlist(k) for k in params}
        query_text = update_text = None
        if request.method == "POST":
            media = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if media == "application/sparql-query":
                query_text = (await request.body()).decode("utf-8")
            elif media == "application/sparql-update":
                update_text = (await request.body()).decode("utf-8")
            elif media == "application/x-www-form-urlencoded":
                fields.update(await _form(request))
            else:
                return PlainTextResponse("POST a query as application/sparql-query or a form", status_code=415)
        query_text = query_text or (fields.get("query") or [None])[0]
        update_text = update_text or (fields.get("update") or [None])[0]
        if update_text is not None and query_text is None:
            return await self._update(request, update_text)
        if not query_text:
            return PlainTextResponse("give a SPARQL query: ?query=… or POST it", status_code=400)
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
            "default_graphs": fields.get("default-graph-uri", []),
            "named_graphs": fields.get("named-graph-uri", []),
        }
        try:
            answer = await self.run("query", payload)
        except QueryTimeout as exc:
            return PlainTextResponse(f"query {exc}", status_code=503)
        except WorkerError as exc:
            return PlainTextResponse(str(exc), status_code=500)
        headers = (
            {"X-KG-Truncated": "true", "X-KG-Max-Results": str(self.options.max_results)} if answer.truncated else {}
        )
        media = answer.media_type + ("; charset=utf-8" if answer.media_type.startswith("text/") else "")
        return Response(answer.body, status_code=answer.status, media_type=media, headers=headers)

    async def update(self, request: Request) -> Response:
        if request.method != "POST":
            return PlainTextResponse("POST the update", status_code=405)
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media == "application/sparql-update":
            text = (await request.body()).decode("utf-8")
        else:
            text = ((await _form(request)).get("update") or [None])[0]
        if not text:
            return PlainTextResponse("give a SPARQL update", status_code=400)
        return await self._update(request, str(text))

    async def _update(self, request: Request, text: str) -> Response:
        if not self.options.allow_update:
            return PlainTextResponse(
                "this endpoint is read-only (start kg serve with --allow-update --token T)", status_code=403
            )
        token = _bearer(request)
        if token is None or not hmac.compare_digest(token.encode(), self.options.token.encode()):
            return PlainTextResponse(
                "updates need the server's token: Authorization: Bearer …",
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer realm="kg"'},
            )
        try:
            answer = await self.run("update", text)
        except QueryTimeout as exc:
            return PlainTextResponse(f"update {exc}; nothing was changed", status_code=503)
        except WorkerError as exc:
            return PlainTextResponse(str(exc), status_code=500)
        self._explorer.clear()
        return Response(answer.body or None, status_code=answer.status, media_type=answer.media_type)

    async def dump(self, request: Request) -> Response:
        if request.query_params.get("graph") or "default" in request.query_params:
            return PlainTextResponse("only a GET of the whole dataset is offered here", status_code=400)
        try:
            answer = await self.run("dump", None, None)
        except WorkerError as exc:
            return PlainTextResponse(str(exc), status_code=500)
        return Response(answer.body, media_type=answer.media_type)

    async def health(self, request: Request) -> Response:
        options = self.options
        return JSONResponse(
            {
                "status": "ok",
                "store": options.store,
                "updates": options.allow_update,
                "workers": self.pool.size if self.pool else 0,
                "timeout": options.timeout,
                "max_results": options.max_results,
                "restarted_workers": self.pool.restarts if self.pool else 0,
            }
        )

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

            def select(sparql: str) -> list[dict]:
                return self.pool.run("select", sparql, self.options.timeout)

            def render() -> str:
                return render_html(project(select, **options), collapsed=collapsed)

            try:
                self._explorer[key] = await run_in_threadpool(render)
            except QueryTimeout as exc:
                return PlainTextResponse(f"explorer query {exc}", status_code=503)
            except (LookupError, ValueError) as exc:
                return PlainTextResponse(str(exc), status_code=400)
        return HTMLResponse(self._explorer[key])


def create_app(options: ServeOptions, endpoint: Endpoint | None = None) -> Starlette:
    """Build the ASGI app for a store; its workers start with the app (unless already started) and stop with it."""
    endpoint = endpoint or Endpoint(options)

    @asynccontextmanager
    async def lifespan(app):
        if endpoint.pool is None:
            await run_in_threadpool(endpoint.start)
        try:
            yield
        finally:
            await run_in_threadpool(endpoint.stop)

    routes = [
        Route("/", endpoint.page),
        Route("/query", endpoint.query, methods=["GET", "POST"]),
        Route("/sparql", endpoint.query, methods=["GET", "POST"]),
        Route("/update", endpoint.update, methods=["GET", "POST"]),
        Route("/store", endpoint.dump),
        Route("/health", endpoint.health),
        Route("/explorer", endpoint.explorer),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.endpoint = endpoint
    return app


def serve(options: ServeOptions, host: str = "127.0.0.1", port: int = 7878) -> None:
    """Run the endpoint until interrupted (Ctrl-C); takes the options, host and port; returns when stopped.

    Raises WorkerError (with the store's message) when the store cannot be opened, before listening.
    """
    import uvicorn

    endpoint = Endpoint(options)
    endpoint.start()
    try:
        uvicorn.run(
            create_app(options, endpoint), host=host, port=port, log_level="warning", timeout_graceful_shutdown=5
        )
    finally:
        endpoint.stop()
