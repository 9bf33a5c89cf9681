"""The default view of a large store: its last week, read without reading the whole store.

`read_graph` reads every entity, event and link, which takes minutes on an archive of 100,000
articles. When the explorer is opened on such a store with no focus and no date range, it shows the
articles of the last `WINDOW_DAYS` days instead: `recent_articles` finds them, and `window_select`
copies their article graphs and their entities' summary rows into an in-memory store and returns a
`select` over it, so the rest of the explorer runs unchanged on a few thousand nodes. Everything is
read through the `select` callable, so it works over any store (embedded, remote, `kg serve` workers).
"""

from __future__ import annotations

from datetime import date, timedelta

import pyoxigraph as ox

from kg import iris
from kg.explorer.read import PREFIXES, Select

# Stores with more articles than this open on their last week; below it the explorer reads everything,
# which takes a few seconds at about this size on a 2-core machine.
WINDOW_ARTICLES = 2000
WINDOW_DAYS = 7
# At most this many of the newest articles: about 900 nodes, read in a few seconds (bench/scale_queries.py).
WINDOW_MOST = 100
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
# An IRI object has no datatype; a literal's text is its lexical form (the row values alone lose it).
_TERMS = (
    "FILTER(!isBlank(?s) && !isBlank(?o)) BIND(STR(?o) AS ?text) BIND(DATATYPE(?o) AS ?datatype) "
    "BIND(LANG(?o) AS ?lang)"
)
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def recent_articles(
    select: Select, *, threshold: int = WINDOW_ARTICLES, days: int = WINDOW_DAYS, most: int = WINDOW_MOST
):
    """Return (first day "YYYY-MM-DD", article IRIs): the newest `most` of the last `days` days' articles.

    Takes a `select` callable; a store of at most `threshold` dated articles (schema:datePublished) gives
    None (the explorer then reads everything).
    """
    # Only the schema:datePublished index is read (0.1 s at 15 M quads; joining kg:Article took 3 s).
    rows = select(PREFIXES + "SELECT (COUNT(?a) AS ?n) (MAX(STR(?d)) AS ?last) WHERE { ?a schema:datePublished ?d }")
    if not rows or int(rows[0].get("n") or 0) <= threshold or not rows[0].get("last"):
        return None
    try:
        first = (date.fromisoformat(str(rows[0]["last"])[:10]) - timedelta(days=days - 1)).isoformat()
    except ValueError:
        return None
    found = select(
        PREFIXES + f"SELECT ?a ?d WHERE {{ ?a schema:datePublished ?d FILTER(STR(?d) >= {ox.Literal(first)}) }}"
    )
    days_of: dict[str, str] = {}
    for row in found:
        article, day = str(row["a"]), str(row["d"])[:10]
        days_of[article] = max(day, days_of.get(article, day))
    newest = sorted(((day, article) for article, day in days_of.items()), reverse=True)
    newest = newest[:most]
    return min(day for day, _ in newest), sorted(a for _, a in newest)


def window_select(select: Select, articles: list[str]) -> Select:
    """Copy the graphs of `articles` and their entities' summary rows into memory; return a select over them.

    Takes a `select` callable and article IRIs (each article's named graph is its IRI); the returned
    callable answers SPARQL over the union of the copied graphs, in the same row shape as `select`.
    """
    from kg.store.base import to_python

    quads: list[ox.Quad] = []
    values = " ".join(str(ox.NamedNode(a)) for a in articles)
    rows = select(
        f"SELECT ?g ?s ?p ?o ?text ?datatype ?lang WHERE {{ VALUES ?g {{ {values} }} "
        f"GRAPH ?g {{ ?s ?p ?o }} {_TERMS} }}"
    )
    named = set()  # every IRI the articles name: their entities' summary rows are copied too
    for row in rows:
        quads.append(_quad(row, str(row["g"])))
        named.add(str(row["s"]))
        if row.get("datatype") is None:
            named.add(str(row["o"]))
    entities = named - set(articles)
    if entities:
        values = " ".join(str(ox.NamedNode(e)) for e in sorted(entities))
        summary = select(
            f"SELECT ?s ?p ?o ?text ?datatype ?lang WHERE {{ VALUES ?s {{ {values} }} "
            f"GRAPH <{iris.ENTITIES_GRAPH}> {{ ?s ?p ?o }} {_TERMS} }}"
        )
        quads += [_quad(row, iris.ENTITIES_GRAPH) for row in summary]
    store = ox.Store()
    store.bulk_extend(quads)

    def select_window(sparql: str) -> list[dict]:
        solutions = store.query(sparql, use_default_graph_as_union=True)
        names = [v.value for v in solutions.variables]
        rows = ([(name, to_python(solution[name])) for name in names] for solution in solutions)
        return [{name: value for name, value in row if value is not None} for row in rows]

    return select_window


def _quad(row: dict, graph: str) -> ox.Quad:
    """Return one quad in `graph` from a row of the copy queries (subject, predicate, object, text, datatype)."""
    datatype = row.get("datatype")
    if datatype is None:
        obj = ox.NamedNode(str(row["o"]))
    elif datatype == _LANG_STRING:
        obj = ox.Literal(str(row["text"]), language=str(row["lang"]))
    else:
        obj = ox.Literal(str(row["text"]), datatype=ox.NamedNode(str(datatype)))
    return ox.Quad(ox.NamedNode(str(row["s"])), ox.NamedNode(str(row["p"])), obj, ox.NamedNode(graph))
