"""Writing the stored graph out: N-Quads, TriG, Turtle, JSON-LD, and the explorer's HTML/GraphML/GEXF.

RDF exports are made from the store's sorted N-Quads, so the same store always gives the same
bytes. The ontology's own graph is left out unless asked for (it is in ontology/newskg.ttl).
"""

from __future__ import annotations

import errno
import heapq
import os
import shutil
import tempfile
from itertools import islice
from pathlib import Path

from kg import iris
from kg.export_stream import RDF_TYPE, ends_inside_long_string, jsonld_term
from kg.store import Store

RDF_FORMATS = {"nq": "nquads", "trig": "trig", "ttl": "turtle", "jsonld": "json-ld"}
GRAPH_FORMATS = ("html", "graphml", "gexf")
FORMATS = tuple(RDF_FORMATS) + GRAPH_FORMATS
PREFIXES = iris.PREFIXES


class ExportError(ValueError):
    """An export that cannot be made (unknown format and the like)."""


def nquads(store: Store, *, include_ontology: bool = False) -> str:
    """Return the store's quads as sorted N-Quads text, without the ontology graph unless asked.

    The builder's own index (kg.iris.INTERNAL_PREDICATES: name keys) is always left out.
    """
    text = store.dump_nquads()
    tail = f"<{iris.ONTOLOGY_GRAPH}> ."
    return "".join(
        line + "\n"
        for line in text.splitlines()
        if not (not include_ontology and line.endswith(tail)) and not _internal(line)
    )


def _internal(line: str) -> bool:
    """Return True when an N-Quads line's predicate is one of the builder's INTERNAL_PREDICATES."""
    parts = line.split(" ", 2)  # a subject (IRI or blank node) holds no space
    return len(parts) > 1 and parts[1][1:-1] in iris.INTERNAL_PREDICATES


# Lines sorted in memory at a time when streaming N-Quads: at 200,000 the peak was 464 MB at 15 M quads.
SORT_RUN_LINES = 100_000


def write_nquads(store: Store, handle, *, include_ontology: bool = False, run_lines: int = SORT_RUN_LINES) -> None:
    """Write the bytes of `nquads(store)` to a binary file handle with memory flat in store size.

    The store is dumped to a temporary file (straight from Oxigraph when it can), cut into sorted runs
    of `run_lines` lines and merged, repeated lines dropped, as `nquads` sorts them in memory.
    """
    with tempfile.TemporaryDirectory(prefix=".kg-export-", dir=Path(getattr(handle, "name", ".")).parent) as tmp:
        try:
            _write_sorted(store, handle, Path(tmp), include_ontology, run_lines)
        except OSError as exc:  # a full disk: say how much was written at least, for the error message
            exc.written = sum(f.stat().st_size for f in Path(tmp).iterdir())
            raise


def _write_sorted(store: Store, handle, tmp: Path, include_ontology: bool, run_lines: int) -> None:
    """Dump the store into `tmp`, sort it in runs of `run_lines` lines and merge the runs into `handle`."""
    tail = f"<{iris.ONTOLOGY_GRAPH}> .\n"
    raw = tmp / "dump.nq"
    if hasattr(store, "dump_nquads_file"):
        store.dump_nquads_file(raw)
    else:
        raw.write_text(store.dump_nquads(), encoding="utf-8")
    runs = []
    with open(raw, encoding="utf-8", newline="\n") as source:
        while chunk := list(islice(source, run_lines)):
            kept = {line for line in chunk if not _internal(line) and (include_ontology or not line.endswith(tail))}
            run = tmp / f"run{len(runs)}.nq"
            run.write_text("".join(sorted(kept)), encoding="utf-8", newline="\n")
            runs.append(run)
    raw.unlink()
    files = [open(run, encoding="utf-8", newline="\n") for run in runs]  # noqa: SIM115 - closed below
    try:
        previous = None
        for line in heapq.merge(*files):
            if line != previous:
                handle.write(line.encode("utf-8"))
                previous = line
    finally:
        for file in files:
            file.close()


def _graph(identifier=None):
    from rdflib import Graph

    graph = Graph(identifier=identifier, bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def _dataset(data: str):
    from rdflib import Dataset

    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    dataset.parse(data=data, format="nquads")
    return dataset


def _trig(dataset) -> str:
    """Write TriG graph by graph in IRI order (rdflib's own TriG writer orders graphs by chance)."""
    prefixes: set[str] = set()
    blocks = []
    contexts = sorted((g for g in dataset.graphs() if len(g)), key=lambda g: str(g.identifier))
    for context in contexts:
        graph = _graph(context.identifier)
        for triple in context:
            graph.add(triple)
        body = []
        in_long_string = False
        for line in graph.serialize(format="turtle").split("\n"):
            if in_long_string:  # inside a multi-line (triple-quoted) literal: kept byte for byte
                body.append(line)
            elif line.startswith("@prefix"):
                prefixes.add(line)
            elif line.strip():
                body.append("    " + line)
            elif body and body[-1]:
                body.append("")
            in_long_string = ends_inside_long_string(line, in_long_string)
        while body and not body[-1]:
            body.pop()
        blocks.append(f"<{context.identifier}> {{\n" + "\n".join(body) + "\n}\n")
    return "\n".join(sorted(prefixes)) + "\n\n" + "\n".join(blocks)


def _jsonld(data: str) -> str:
    """Write expanded JSON-LD, one named graph per object, every list sorted (rdflib's writer is unordered)."""
    import json

    import pyoxigraph as ox

    graphs: dict[str, dict[str, dict[str, list]]] = {}
    for quad in ox.parse(data.encode("utf-8"), format=ox.RdfFormat.N_QUADS):
        graph_name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else "@default"
        node = graphs.setdefault(graph_name, {}).setdefault(quad.subject.value, {})
        if quad.predicate.value == RDF_TYPE:
            node.setdefault("@type", []).append(quad.object.value)
        else:
            node.setdefault(quad.predicate.value, []).append(jsonld_term(quad.object))
    document = []
    for graph_name in sorted(graphs):
        nodes = []
        for subject in sorted(graphs[graph_name]):
            properties = graphs[graph_name][subject]
            item = {"@id": subject}
            for key in sorted(properties):
                values = properties[key]
                item[key] = (
                    sorted(values) if key == "@type" else sorted(values, key=lambda v: json.dumps(v, sort_keys=True))
                )
            nodes.append(item)
        document.append({"@id": graph_name, "@graph": nodes})
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def rdf_bytes(store: Store, fmt: str, *, include_ontology: bool = False) -> bytes:
    """Serialise the store in one of RDF_FORMATS; returns the bytes to write."""
    if fmt not in RDF_FORMATS:
        raise ExportError(f"unknown RDF format {fmt!r}: choose one of {', '.join(RDF_FORMATS)}")
    data = nquads(store, include_ontology=include_ontology)
    if fmt == "nq":
        return data.encode("utf-8")
    if fmt == "jsonld":
        return _jsonld(data).encode("utf-8")
    dataset = _dataset(data)
    if fmt == "ttl":
        union = _graph()
        for s, p, o, _g in dataset.quads((None, None, None, None)):
            union.add((s, p, o))
        return union.serialize(format="turtle").encode("utf-8")
    if fmt == "trig":
        return _trig(dataset).encode("utf-8")
    return dataset.serialize(format=RDF_FORMATS[fmt]).encode("utf-8")


STREAMED_FORMATS = ("trig", "jsonld")  # Turtle stays in memory: see the note in kg/export_stream.py


def _write_streamed(store: Store, fmt: str, partial: Path, include_ontology: bool) -> bool:
    """Write `fmt` to `partial` through kg.export_stream; returns False when it must be written in memory."""
    from kg.export_stream import write_streamed

    with tempfile.TemporaryDirectory(prefix=".kg-export-", dir=partial.parent) as tmp:
        try:
            with open(partial, "wb") as handle:
                sorted_quads = Path(tmp) / "sorted.nq"
                with open(sorted_quads, "wb") as out:
                    write_nquads(store, out, include_ontology=include_ontology)
                done = write_streamed(sorted_quads, fmt, handle, Path(tmp), new_graph=_graph)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:  # a full disk: say how much was written at least
            exc.written = sum(f.stat().st_size for f in Path(tmp).iterdir()) + partial.stat().st_size
            raise
    return done


FULL_DISK = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def _full_disk(out: Path, exc: OSError, needed: int | None) -> ExportError:
    """Return the one-line error for a write that ran out of room, naming the file and the space needed.

    A streamed export does not know its size beforehand: it says how much it had written at least.
    """
    try:
        free = f"{shutil.disk_usage(out.parent).free:,} bytes free"
    except OSError:
        free = "free space unknown"
    need = f"it needs {needed:,} bytes, " if needed else ""
    if not needed and getattr(exc, "written", None):
        need = f"it needs more than {exc.written:,} bytes, "
    return ExportError(f"cannot write {out}: {os.strerror(exc.errno)} ({need}{free}); nothing was changed")


def export(store: Store, fmt: str, out: Path, *, include_ontology: bool = False, **graph_options) -> dict:
    """Write the store to `out` in format `fmt`; returns a small summary dict (bytes, and nodes/edges for graphs).

    The file is written beside `out` under a temporary name and renamed over it when complete, so a
    full disk or an interrupted run never leaves a cut file; a full disk raises ExportError (one line).
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.{os.getpid()}.partial")
    needed = None
    try:
        if fmt in GRAPH_FORMATS:
            from kg.explorer import export_graph

            summary = export_graph(store.select, partial, fmt, **graph_options)
        elif fmt == "nq":
            with open(partial, "wb") as handle:
                write_nquads(store, handle, include_ontology=include_ontology)
                handle.flush()
                os.fsync(handle.fileno())
            summary = {}
        elif fmt in STREAMED_FORMATS and _write_streamed(store, fmt, partial, include_ontology):
            summary = {}
        else:
            data = rdf_bytes(store, fmt, include_ontology=include_ontology)
            needed = len(data)
            with open(partial, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            summary = {}
        os.replace(partial, out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        if exc.errno in FULL_DISK:
            raise _full_disk(out, exc, needed) from None
        raise
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return {"bytes": out.stat().st_size, **summary}
