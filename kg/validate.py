"""Checking a built graph against ontology/shapes.ttl with pySHACL.

The shapes are written for the union of all graphs: entity labels sit in the entities graph, events
and evidence in each article's graph. So the named graphs are merged into one plain graph first, and
the ontology is added to it, which lets `sh:targetClass kg:Event` reach instances of every event
subclass without running RDFS inference.
"""

from __future__ import annotations

from functools import cache

from pyshacl import validate as shacl_validate
from rdflib import ConjunctiveGraph, Dataset, Graph

from kg.vocab import ontology_path, shapes_path


@cache
def _shapes() -> Graph:
    return Graph().parse(shapes_path(), format="turtle")


@cache
def _ontology() -> Graph:
    return Graph().parse(ontology_path(), format="turtle")


def union_graph(data: Graph | Dataset) -> Graph:
    """Return a new plain Graph holding every triple of `data`: of all its named graphs when it is a Dataset."""
    union = Graph()
    if isinstance(data, ConjunctiveGraph):  # Dataset is a ConjunctiveGraph too
        union.addN((s, p, o, union) for s, p, o, _ in data.quads((None, None, None, None)))
    else:
        union.addN((s, p, o, union) for s, p, o in data)
    return union


def validate(data: Graph | Dataset, *, inference: str = "none") -> tuple[bool, str]:
    """Validate a graph, or the union of a dataset's graphs, against the project's SHACL shapes.

    Takes an rdflib Graph or Dataset (left unchanged) and optionally a pySHACL inference mode
    ("none", "rdfs", ...; not needed for the shapes here). Returns (conforms, report): conforms is
    False when any shape is violated; warnings (such as an entity without a label) keep conforms
    True but are listed in the human-readable report.
    """
    union = union_graph(data)
    union.addN((s, p, o, union) for s, p, o in _ontology())
    conforms, _report_graph, report_text = shacl_validate(
        union,
        shacl_graph=_shapes(),
        inference=inference,
        allow_warnings=True,
        advanced=True,  # for the SPARQL target of kgsh:EvidenceOffsetsShape
        inplace=True,
    )
    return bool(conforms), str(report_text)
