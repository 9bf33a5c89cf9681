"""A store on any SPARQL 1.1 endpoint: Oxigraph server, Fuseki, GraphDB, Virtuoso, or `kg serve --allow-update`.

Writes send the very update texts the embedded store runs (`kg.store.article_update` …), one
HTTP request per article, so each article lands atomically and a re-run replaces it. Reads go
through the SPARQL 1.1 Protocol with SPARQL JSON results and see the union of all graphs.

The location is a base URL; where the query, update and Graph Store endpoints sit under it
depends on the server ("layout"):

    http://127.0.0.1:7878                    Oxigraph server: /query /update /store (the default)
    http://host:3030/news?layout=fuseki      Fuseki dataset: /news/query /news/update /news/data
    http://host:7200/repositories/news?layout=graphdb
    http://host:8890/sparql?layout=virtuoso
    http://host/sparql?layout=generic         one URL for queries and updates, union graph by default

Each URL can be overridden with `?query=…&update=…&data=…` on the location (relative to the
base, or absolute), or with $KG_QUERY_URL, $KG_UPDATE_URL, $KG_GSP_URL; $KG_TOKEN is sent as a
Bearer token. Bindings are written into the query as a VALUES block of checked RDF terms.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from kg.store.base import ArticleWrite, QueryResult, QuerySyntaxError, StoreError, to_python
from kg.store.updates import article_update, graph_update, removal_update, rename_update, summary_update

RESULTS_JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
NQUADS = "application/n-quads"


@dataclass(frozen=True)
class Layout:
    """Where a kind of server puts its endpoints under the base URL, and how it is asked for the union graph.

    `query`, `update`, `data` are paths relative to the base ("" is the base itself; None: no such
    endpoint); `union` is the extra form fields that make the default graph the union of all graphs;
    `dataset_dump` says whether a GET of the Graph Store endpoint returns the whole dataset as N-Quads.
    """

    query: str
    update: str
    data: str | None
    union: tuple[tuple[str, str], ...] = ()
    dataset_dump: bool = False


LAYOUTS = {
    "oxigraph": Layout("query", "update", "store", (("union-default-graph", ""),), dataset_dump=True),
    "fuseki": Layout("query", "update", "data", (("default-graph-uri", "urn:x-arq:UnionGraph"),)),
    # GraphDB and Virtuoso query the union of all graphs when no dataset is given.
    "graphdb": Layout("", "statements", "rdf-graphs/service"),
    "virtuoso": Layout("", "", None),
    # Any other endpoint that takes queries and updates at one URL and queries the union by default
    # (e.g. Fuseki with tdb2:unionDefaultGraph true, if it refuses default-graph-uri).
    "generic": Layout("", "", None),
}


@dataclass(frozen=True)
class Endpoints:
    """The resolved URLs of one remote store and the form fields that ask for the union graph."""

    query: str
    update: str
    data: str | None
    union: tuple[tuple[str, str], ...]
    dataset_dump: bool


def _under(base: str, path: str) -> str:
    """Return `path` resolved under `base` ("" is the base itself, an absolute URL is kept)."""
    if not path:
        return base
    return urljoin(base.rstrip("/") + "/", path)


def resolve_endpoints(location: str, environ: Mapping[str, str] | None = None) -> Endpoints:
    """Turn a store location (base URL with optional ?layout=…&query=…&update=…&data=…) into endpoint URLs.

    Takes the location and the environment to read $KG_QUERY_URL, $KG_UPDATE_URL, $KG_GSP_URL from
    (default os.environ); the URL's own parameters win over the environment, which wins over the layout.
    """
    environ = os.environ if environ is None else environ
    parts = urlsplit(location)
    options = dict(parse_qsl(parts.query, keep_blank_values=True))
    base = urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))
    layout_name = options.pop("layout", "oxigraph")
    if layout_name not in LAYOUTS:
        raise StoreError(f"unknown remote store layout {layout_name!r}: choose one of {', '.join(LAYOUTS)}")
    layout = LAYOUTS[layout_name]
    unknown = set(options) - {"query", "update", "data"}
    if unknown:
        raise StoreError(f"unknown remote store option(s) {', '.join(sorted(unknown))} in {location}")
    query = options.get("query") or environ.get("KG_QUERY_URL") or layout.query
    update = options.get("update") or environ.get("KG_UPDATE_URL") or layout.update
    data = options.get("data") or environ.get("KG_GSP_URL") or layout.data
    return Endpoints(
        query=_under(base, query),
        update=_under(base, update),
        data=_under(base, data) if data is not None else None,
        union=layout.union,
        dataset_dump=layout.dataset_dump and "data" not in options and not environ.get("KG_GSP_URL"),
    )


# Comments, IRIs and strings, blanked out before looking for keywords and braces in a query.
_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|#[^\n]*",
    re.DOTALL,
)
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _masked(sparql: str) -> str:
    """Return the query with comments, IRIs and strings replaced by spaces (same length)."""
    return _OPAQUE.sub(lambda m: " " * len(m.group(0)), sparql)


def _where_brace(sparql: str) -> int:
    """Return the index of the `{` that opens the query's WHERE pattern."""
    masked = _masked(sparql)
    first = masked.find("{")
    if first < 0:
        raise QuerySyntaxError("SPARQL syntax error: no { … } pattern to bind variables in")
    construct = re.search(r"\bconstruct\b", masked[:first], re.IGNORECASE)
    if construct is None:
        return first
    between = masked[construct.end() : first].strip()
    if between.lower() == "where":
        raise QuerySyntaxError("bindings cannot be used with the short form CONSTRUCT WHERE { … }")
    depth = 0
    for index in range(first, len(masked)):  # skip the template, return the next group's brace
        char = masked[index]
        if char == "{":
            if depth == 0 and index != first:
                return index
            depth += 1
        elif char == "}":
            depth -= 1
    raise QuerySyntaxError("SPARQL syntax error: CONSTRUCT template without a WHERE pattern")


def _term_text(value: str | tuple[str]) -> str:
    """Return an IRI (str) or a plain literal (1-tuple) in SPARQL syntax, checked by pyoxigraph."""
    term = ox.Literal(value[0]) if isinstance(value, tuple) else ox.NamedNode(value)
    return str(term)


def inline_bindings(sparql: str, bindings: Mapping[str, str | tuple[str]] | None) -> str:
    """Return the query with `bindings` added as a VALUES block at the start of its WHERE pattern.

    Takes the query and {"var": "https://iri"} or {"var": ("literal",)}; raises ValueError for a
    value that is not a valid IRI and for a bad variable name, so nothing can be injected.
    """
    if not bindings:
        return sparql
    names = list(bindings)
    for name in names:
        if not _VARIABLE.fullmatch(name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
    terms = " ".join(_term_text(bindings[name]) for name in names)
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({terms}) }} "
    at = _where_brace(sparql) + 1
    return sparql[:at] + block + sparql[at:]


def term_from_json(value: Mapping[str, Any]):
    """Turn one SPARQL JSON results binding ({"type": …, "value": …}) into a pyoxigraph term."""
    kind = value["type"]
    if kind == "uri":
        return ox.NamedNode(value["value"])
    if kind == "bnode":
        return ox.BlankNode(value["value"])
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return ox.Literal(value["value"], language=value["xml:lang"])
        if "datatype" in value:
            return ox.Literal(value["value"], datatype=ox.NamedNode(value["datatype"]))
        return ox.Literal(value["value"])
    if kind == "triple":
        inner = value["value"]
        return ox.Triple(*(term_from_json(inner[k]) for k in ("subject", "predicate", "object")))
    raise StoreError(f"unknown term type in SPARQL results: {kind!r}")


def _canonical_nquads(quads: Iterable[ox.Quad]) -> str:
    """Return quads as N-Quads lines written like the embedded store writes them, sorted, without repeats."""
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
    lines = sorted(set(data.decode("utf-8").splitlines()))
    return "\n".join(lines) + ("\n" if lines else "")


class RemoteStore:
    """A Store over HTTP: SPARQL 1.1 Query/Update Protocol, plus the Graph Store Protocol for dumps."""

    def __init__(
        self,
        location: str,
        *,
        read_only: bool = False,
        token: str | None = None,
        timeout: float = 300.0,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        environ = os.environ if environ is None else environ
        self.location = location
        self.endpoints = resolve_endpoints(location, environ)
        self.read_only = read_only
        token = token if token is not None else environ.get("KG_TOKEN")
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._client = httpx.Client(headers=headers, timeout=timeout)

    # -- HTTP ----------------------------------------------------------------------------
    def _post(self, url: str, *, form: list[tuple[str, str]] | None = None, **kwargs) -> httpx.Response:
        if form is not None:  # repeated keys (default-graph-uri) need a list, which httpx's `data=` does not take
            kwargs["content"] = urlencode(form).encode("ascii")
            kwargs["headers"] = {**kwargs.get("headers", {}), "Content-Type": "application/x-www-form-urlencoded"}
        try:
            response = self._client.post(url, **kwargs)
        except httpx.TransportError as exc:
            raise StoreError(f"cannot reach the SPARQL endpoint {url}: {exc}") from None
        return response

    def _check(self, response: httpx.Response, what: str) -> httpx.Response:
        if response.status_code in (401, 403):
            raise StoreError(
                f"{what} refused by {response.url} ({response.status_code}): set $KG_TOKEN if it needs one"
            )
        if response.status_code >= 400:
            raise StoreError(f"{what} failed at {response.url}: {response.status_code} {response.text[:500]}")
        return response

    def _refuse_truncated(self, response: httpx.Response) -> None:
        """Raise StoreError when the server says it cut the answer (`kg serve` sends X-KG-Truncated: true).

        A cut answer read as whole would make a build rebuild unchanged articles and an export drop
        edges, so it is an error, never a silent short result.
        """
        if response.headers.get("x-kg-truncated", "").lower() == "true":
            limit = response.headers.get("x-kg-max-results", "?")
            raise StoreError(
                f"the server at {response.url} cut the answer at its limit ({limit} rows, or its byte limit); "
                "ask for less (LIMIT/OFFSET) or start it with a higher --max-results / --max-answer-mb (0: no limit)"
            )

    # -- reading -------------------------------------------------------------------------
    def query(self, sparql: str, bindings: Mapping[str, str] | None = None) -> QueryResult:
        """Run a SPARQL query over the union of all graphs on the endpoint; returns a QueryResult.

        `bindings` maps variable names to IRIs (str) or literals (1-tuples); they are checked and
        added as a VALUES block, never pasted as raw text. Bound variables must be projected.
        """
        text = inline_bindings(sparql, bindings)
        form = [("query", text), *self.endpoints.union]
        accept = f"{RESULTS_JSON}, {NTRIPLES};q=0.9"
        response = self._post(self.endpoints.query, form=form, headers={"Accept": accept})
        if response.status_code == 400:
            raise QuerySyntaxError(f"SPARQL syntax error: {response.text.strip()[:500]}")
        self._check(response, "query")
        self._refuse_truncated(response)
        media = response.headers.get("content-type", "").split(";")[0].strip()
        if media in (NTRIPLES, "text/plain", "text/turtle"):
            fmt = ox.RdfFormat.TURTLE if media == "text/turtle" else ox.RdfFormat.N_TRIPLES
            triples = ox.parse(response.content, format=fmt)
            return QueryResult(
                kind="graph", ntriples="".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)
            )
        payload = response.json()
        if "boolean" in payload:
            return QueryResult(kind="ask", boolean=bool(payload["boolean"]))
        variables = tuple(payload["head"].get("vars", ()))
        rows = tuple(
            tuple(to_python(term_from_json(b[v])) if v in b else None for v in variables)
            for b in payload["results"]["bindings"]
        )
        return QueryResult(kind="select", variables=variables, rows=rows)

    def select(self, sparql: str, bindings: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
        """Run a SELECT query; returns one dict per row (unbound variables left out)."""
        return self.query(sparql, bindings).dicts()

    # -- writing -------------------------------------------------------------------------
    def update(self, text: str) -> None:
        """Send one SPARQL Update request (applied atomically by the server); raises StoreError on refusal."""
        if self.read_only:
            raise StoreError(f"store {self.location} was opened read-only")
        response = self._post(
            self.endpoints.update,
            content=text.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
        )
        self._check(response, "update")

    def write_article(self, write: ArticleWrite) -> None:
        """Replace an article's graph and its entities' summary rows in one update request."""
        self.update(article_update(write))

    def write_articles(self, writes: Sequence[ArticleWrite]) -> None:
        """Write several articles in one request (for bulk loads: fewer round trips, still idempotent)."""
        if writes:
            self.update(" ;\n".join(article_update(w) for w in writes))

    def remove_article(self, article_iri: str, entity_iris: Sequence[str], entity_ntriples: str) -> None:
        """Drop an article's graph and rewrite the summary rows of the entities it mentioned, in one request."""
        self.update(removal_update(article_iri, entity_iris, entity_ntriples))

    def set_graph(self, graph_iri: str, ntriples: str) -> None:
        """Replace one whole named graph with the given N-Triples."""
        self.update(graph_update(graph_iri, ntriples))

    def rename(self, old: str, new: str, entity_ntriples: str = "") -> None:
        """Rename an entity IRI in every graph and put its recomputed summary rows in place, in one request."""
        self.update(" ;\n".join([rename_update(old, new), *summary_update((new,), entity_ntriples)]))

    # -- whole-store ---------------------------------------------------------------------
    def named_graphs(self) -> list[str]:
        """Return the IRIs of all named graphs, sorted."""
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        return sorted(row["g"] for row in rows if "g" in row and not row["g"].startswith("_:"))

    def dump_nquads(self) -> str:
        """Return every quad in named graphs as N-Quads, written and sorted exactly as the embedded store dumps."""
        if self.endpoints.dataset_dump and self.endpoints.data:
            response = self._client.get(self.endpoints.data, headers={"Accept": NQUADS})
            self._check(response, "dump")
            return _canonical_nquads(ox.parse(response.content, format=ox.RdfFormat.N_QUADS))
        form = [("query", "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")]
        response = self._check(
            self._post(self.endpoints.query, form=form, headers={"Accept": RESULTS_JSON}), "dump query"
        )
        self._refuse_truncated(response)
        quads = (
            ox.Quad(*(term_from_json(b[k]) for k in ("s", "p", "o", "g")))
            for b in response.json()["results"]["bindings"]
        )
        return _canonical_nquads(quads)

    def flush(self) -> None:
        """Nothing to do: every update request is committed by the server when it answers."""

    def close(self) -> None:
        """Close the HTTP connections."""
        self._client.close()
