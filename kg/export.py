"""Writing the stored graph out: N-Quads, TriG, Turtle, JSON-LD, and the explorer's HTML/GraphML/GEXF.

RDF exports are made from the store's sorted N-Quads, so the same store always gives the same
bytes. The ontology's own graph is left out unless asked for (it is in ontology/newskg.ttl).
"""

from __future__ import annotations

from pathlib import Path

from kg import iris
from kg.store import Store

RDF_FORMATS = {"nq": "nquads", "trig": "trig", "ttl": "turtle", "jsonld": "json-ld"}
GRAPH_FORMATS = ("html", "graphml", "gexf")
FORMATS = tuple(RDF_FORMATS) + GRAPH_FORMATS
PREFIXES = {
    "kg": iris.ONTOLOGY,
    "kgr": iris.BASE,
    "schema": "https://schema.org/",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "prov": "http://www.w3.org/ns/prov#",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "wd": "http://www.wikidata.org/entity/",
}


class ExportError(ValueError):
    """An export that cannot be made (unknown format and the like)."""


def nquads(store: Store, *, include_ontology: bool = False) -> str:
    """Return the store's quads as sorted N-Quads text, without the ontology graph unless asked."""
    text = store.dump_nquads()
    if include_ontology:
        return text
    tail = f"<{iris.ONTOLOGY_GRAPH}> ."
    return "".join(line + "\n" for line in text.splitlines() if not line.endswith(tail))


def _dataset(data: str):
    from rdflib import Dataset

    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    dataset.parse(data=data, format="nquads")
    return dataset


def rdf_bytes(store: Store, fmt: str, *, include_ontology: bool = False) -> bytes:
    """Serialise the store in one of RDF_FORMATS; returns the bytes to write."""
    if fmt not in RDF_FORMATS:
        raise ExportError(f"unknown RDF format {fmt!r}: choose one of {', '.join(RDF_FORMATS)}")
    data = nquads(store, include_ontology=include_ontology)
    if fmt == "nq":
        return data.encode("utf-8")
    dataset = _dataset(data)
    if fmt == "ttl":
        from rdflib import Graph

        union = Graph()
        for prefix, namespace in PREFIXES.items():
            union.bind(prefix, namespace, override=True, replace=True)
        for s, p, o, _g in dataset.quads((None, None, None, None)):
            union.add((s, p, o))
        return union.serialize(format="turtle").encode("utf-8")
    if fmt == "jsonld":
        return dataset.serialize(format="json-ld", sort_keys=True, indent=1).encode("utf-8")
    return dataset.serialize(format=RDF_FORMATS[fmt]).encode("utf-8")


def export(store: Store, fmt: str, out: Path, *, include_ontology: bool = False, **graph_options) -> dict:
    """Write the store to `out` in format `fmt`; returns a small summary dict (bytes, and nodes/edges for graphs)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt in GRAPH_FORMATS:
        from kg.explorer import export_graph

        summary = export_graph(store.select, out, fmt, **graph_options)
        return {"bytes": out.stat().st_size, **summary}
    data = rdf_bytes(store, fmt, include_ontology=include_ontology)
    out.write_bytes(data)
    return {"bytes": len(data)}
