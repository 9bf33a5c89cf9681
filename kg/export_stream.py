"""TriG and JSON-LD written with memory flat in store size: the same bytes as kg.export's in-memory writers.

The store's sorted N-Quads (kg.export.write_nquads, itself streamed) are loaded into a temporary
SQLite file indexed by graph and subject, so the quads can be read back graph by graph and subject
by subject in the order the in-memory writers use, a few thousand subjects at a time.

- JSON-LD: graphs in name order, nodes in subject order, each node written as `json.dumps` writes it.
- TriG: rdflib's Turtle writer orders a graph's subjects by (blank node?, times the subject is an
  object in the graph, IRI) after the rdfs:Class members; those keys come from SQLite, and rdflib
  then writes each chunk of subjects in that given order. Graphs with blank nodes would need their
  nested [...] forms, which a chunk cannot see: a store holding any blank node is written in memory.
"""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
from pathlib import Path

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDFS_CLASS = "http://www.w3.org/2000/01/rdf-schema#Class"
RDFLIB_DEFAULT_GRAPH = "urn:x-rdflib:default"
CHUNK_SUBJECTS = 2000
_SCHEMA = """
CREATE TABLE quads (g TEXT, s TEXT, p TEXT, o TEXT, bnode INTEGER, triple TEXT, jv TEXT);
"""


def index_quads(nquads_path: Path, db_path: Path) -> sqlite3.Connection:
    """Load an N-Quads file into a new SQLite file indexed by (graph, subject); returns the connection.

    Columns: g graph IRI ("" for the default graph), s subject value, p predicate IRI, o object
    value when it is an IRI or blank node (else NULL), bnode 1 when subject or object is a blank node,
    triple the N-Triples line, jv the object as kg.export's JSON-LD writes it (the type IRI for
    rdf:type, else its JSON term, dumped with sorted keys). Memory stays flat: rows go in in batches and
    SQLite sorts on disk.
    """
    import pyoxigraph as ox

    db = sqlite3.connect(db_path)
    db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-16000;" + _SCHEMA)
    batch = []
    for quad in ox.parse(path=str(nquads_path), format=ox.RdfFormat.N_QUADS):
        subject, obj, graph = quad.subject, quad.object, quad.graph_name
        is_node = isinstance(obj, ox.NamedNode | ox.BlankNode)
        bnode = isinstance(subject, ox.BlankNode) or isinstance(obj, ox.BlankNode)
        g = graph.value if isinstance(graph, ox.NamedNode) else ""
        triple = f"{subject} {quad.predicate} {obj} .\n"
        predicate = quad.predicate.value
        jv = obj.value if predicate == RDF_TYPE else json.dumps(jsonld_term(obj), sort_keys=True)
        batch.append((g, subject.value, predicate, obj.value if is_node else None, bnode, triple, jv))
        if len(batch) >= 10_000:
            db.executemany("INSERT INTO quads VALUES (?, ?, ?, ?, ?, ?, ?)", batch)
            batch.clear()
    db.executemany("INSERT INTO quads VALUES (?, ?, ?, ?, ?, ?, ?)", batch)
    db.execute("CREATE INDEX by_subject ON quads (g, s)")
    db.execute("CREATE INDEX by_object ON quads (g, o)")
    db.commit()
    return db


def has_blank_nodes(db: sqlite3.Connection) -> bool:
    """Return True when any indexed quad has a blank node as subject or object."""
    return db.execute("SELECT 1 FROM quads WHERE bnode LIMIT 1").fetchone() is not None


def _graphs(db: sqlite3.Connection) -> list[str]:
    return [row[0] for row in db.execute("SELECT DISTINCT g FROM quads ORDER BY g")]


def _node_json(subject: str, properties: dict[str, list[str]]) -> str:
    """Return one node as kg.export's JSON-LD writes it inside a graph (indented three spaces)."""
    item: dict = {"@id": subject}
    for key in sorted(properties):
        values = sorted(properties[key])
        item[key] = values if key == "@type" else [json.loads(v) for v in values]
    text = json.dumps(item, ensure_ascii=False, indent=1, sort_keys=True)
    return "\n".join("   " + line for line in text.split("\n"))


def write_jsonld(db: sqlite3.Connection, handle) -> None:
    """Write the indexed quads as kg.export's expanded JSON-LD (UTF-8 bytes) to a binary `handle`."""
    graphs = sorted((g or "@default") for g in _graphs(db))
    handle.write(b"[" if graphs else b"[]")
    for number, graph_name in enumerate(graphs):
        g = "" if graph_name == "@default" else graph_name
        handle.write((",\n" if number else "\n").encode("utf-8") + b' {\n  "@graph": [')
        separator, current, properties = "\n", None, {}
        for subject, predicate, value in db.execute("SELECT s, p, jv FROM quads WHERE g = ? ORDER BY s", (g,)):
            if subject != current and current is not None:
                handle.write((separator + _node_json(current, properties)).encode("utf-8"))
                separator, properties = ",\n", {}
            current = subject
            properties.setdefault("@type" if predicate == RDF_TYPE else predicate, []).append(value)
        if current is not None:
            handle.write((separator + _node_json(current, properties)).encode("utf-8"))
        handle.write(f'\n  ],\n  "@id": {json.dumps(graph_name, ensure_ascii=False)}\n }}'.encode())
    handle.write(b"\n]\n" if graphs else b"\n")


def _subjects_in_turtle_order(db: sqlite3.Connection, g: str):
    """Yield a graph's subjects in the order rdflib's Turtle writer gives them (no blank nodes)."""
    classes = db.execute(
        "SELECT DISTINCT s FROM quads WHERE g = ? AND p = ? AND o = ? ORDER BY s", (g, RDF_TYPE, RDFS_CLASS)
    ).fetchall()
    yield from (row[0] for row in classes)
    seen = {row[0] for row in classes}  # few: rdfs:Class members
    rows = db.execute(
        """SELECT s.s, (SELECT COUNT(*) FROM quads r WHERE r.g = ? AND r.o = s.s) AS refs
           FROM (SELECT DISTINCT s FROM quads WHERE g = ?) s ORDER BY refs, s.s""",
        (g, g),
    )
    yield from (subject for subject, _refs in rows if subject not in seen)


class _GraphBody:
    """Writes one graph's Turtle chunks as kg.export._trig does: indented, prefixes collected, one blank between."""

    def __init__(self, body, prefixes: set[str]) -> None:
        self.body, self.prefixes = body, prefixes
        self.inside, self.last_blank, self.pending_blank = False, True, False

    def emit(self, turtle: str) -> None:
        """Write the lines of one chunk's Turtle (rdflib's output, @prefix lines included)."""
        for line in turtle.split("\n"):
            if self.inside:  # inside a multi-line (triple-quoted) literal: kept byte for byte
                self.body.write(line + "\n")
                self.last_blank = not line
            elif line.startswith("@prefix"):
                self.prefixes.add(line)
            elif line.strip():
                if self.pending_blank:  # a blank line is written only when more follows in the graph
                    self.body.write("\n")
                self.body.write("    " + line + "\n")
                self.last_blank, self.pending_blank = False, False
            elif not self.last_blank:
                self.pending_blank, self.last_blank = True, True
            self.inside = ends_inside_long_string(line, self.inside)


def _chunk_turtle(db: sqlite3.Connection, g: str, graph_name: str, subjects: list[str], new_graph) -> str:
    """Return rdflib's Turtle of the given subjects of graph `g`, in the given order, in a `new_graph(iri)`."""
    from rdflib import URIRef
    from rdflib.plugins.serializers.turtle import TurtleSerializer

    class GivenOrder(TurtleSerializer):
        def orderSubjects(self):  # noqa: N802 - rdflib's name
            return [URIRef(s) for s in subjects]

    graph = new_graph(URIRef(graph_name))
    lines = []
    for subject in subjects:
        lines += [row[0] for row in db.execute("SELECT triple FROM quads WHERE g = ? AND s = ?", (g, subject))]
    graph.parse(data="".join(lines), format="nt")
    out = io.BytesIO()
    GivenOrder(graph).serialize(out, encoding="utf-8")
    return out.getvalue().decode("utf-8")


def write_trig_body(db: sqlite3.Connection, body, prefixes: set[str], new_graph) -> None:
    """Write the graph blocks of kg.export's TriG to the text handle `body`; collects @prefix lines in `prefixes`.

    `new_graph(iri)` returns an empty rdflib Graph with the export's prefixes bound.
    """
    graphs = sorted(RDFLIB_DEFAULT_GRAPH if g == "" else g for g in _graphs(db))
    for number, graph_name in enumerate(graphs):
        g = "" if graph_name == RDFLIB_DEFAULT_GRAPH else graph_name
        body.write(("\n" if number else "") + f"<{graph_name}> {{\n")
        writer, chunk = _GraphBody(body, prefixes), []
        for subject in _subjects_in_turtle_order(db, g):
            chunk.append(subject)
            if len(chunk) >= CHUNK_SUBJECTS:
                writer.emit(_chunk_turtle(db, g, graph_name, chunk, new_graph))
                chunk = []
        if chunk:
            writer.emit(_chunk_turtle(db, g, graph_name, chunk, new_graph))
        body.write("}\n")


def write_streamed(sorted_quads: Path, fmt: str, handle, tmp: Path, *, new_graph) -> bool:
    """Write the sorted N-Quads file as "trig" or "jsonld" to the binary `handle`; `tmp` holds scratch files.

    `new_graph(iri)` makes the rdflib Graph each TriG chunk is written from. Returns False, having
    written nothing, for "trig" when the quads hold a blank node: the caller writes those in memory.
    """
    db = index_quads(sorted_quads, tmp / "quads.sqlite")
    sorted_quads.unlink()
    try:
        if fmt == "jsonld":
            write_jsonld(db, handle)
            return True
        if has_blank_nodes(db):
            return False
        prefixes: set[str] = set()
        body_path = tmp / "body.trig"
        with open(body_path, "w", encoding="utf-8", newline="\n") as body:
            write_trig_body(db, body, prefixes, new_graph)
        handle.write(("\n".join(sorted(prefixes)) + "\n\n").encode("utf-8"))
        with open(body_path, "rb") as body:
            shutil.copyfileobj(body, handle)
        return True
    finally:
        db.close()


def ends_inside_long_string(line: str, inside: bool) -> bool:
    r"""Return True when a Turtle long string (triple-quoted) is still open at the end of `line`.

    Takes one line of rdflib's Turtle and whether a long string was open at its start; escapes
    (\", \\) are skipped, short "strings" and <IRIs> are stepped over whole.
    """
    i = 0
    while i < len(line):
        if inside:
            if line[i] == "\\":
                i += 2
            elif line.startswith('"""', i):
                inside, i = False, i + 3
            else:
                i += 1
        elif line.startswith('"""', i):
            inside, i = True, i + 3
        elif line[i] in '"<':
            close = '"' if line[i] == '"' else ">"
            i += 1
            while i < len(line) and line[i] != close:
                i += 2 if line[i] == "\\" else 1
            i += 1
        else:
            i += 1
    return inside


def jsonld_term(term) -> dict:
    """Return a pyoxigraph object term as an expanded JSON-LD value ({"@id"} or {"@value", ...})."""
    import pyoxigraph as ox

    if isinstance(term, ox.Literal):
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == XSD_STRING:
            return {"@value": term.value}
        return {"@value": term.value, "@type": term.datatype.value}
    return {"@id": term.value if isinstance(term, ox.NamedNode) else f"_:{term.value}"}
