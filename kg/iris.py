"""Minting stable, valid IRIs for everything the builder creates.

The same inputs give the same IRI on any machine and in any order. Names are encoded
DBpedia-style: a space becomes "_", every character outside [A-Za-z0-9.~-] is
percent-encoded as UTF-8 (an underscore too), so two distinct names never share an IRI
and no name, whatever it holds, can make an invalid IRI.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote

from kg.records import coarse_type

BASE = "https://w3id.org/newskg/id/"
ONTOLOGY = "https://w3id.org/newskg/ontology#"
ONTOLOGY_GRAPH = BASE + "graph/ontology"
ENTITIES_GRAPH = BASE + "graph/entities"
# The builder's own index, kept in the entities graph but out of exports and counts: each entity's
# name keys (kg.resolve.known.name_keys) and a marker saying the store has them.
NAME_KEY = ONTOLOGY + "nameKey"
NAME_INDEX = ONTOLOGY + "nameIndex"
INTERNAL_PREDICATES = frozenset({NAME_KEY, NAME_INDEX})
# The namespaces the graph is written with: exports bind these prefixes, and `kg query` adds the W3C ones.
PREFIXES = {
    "kg": ONTOLOGY,
    "kgr": BASE,
    "schema": "https://schema.org/",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "prov": "http://www.w3.org/ns/prov#",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "wd": "http://www.wikidata.org/entity/",
}

_MAX_NAME = 120
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean_name(name: str) -> str:
    """Return `name` in NFC with control and bidi characters dropped and white space folded to single spaces."""
    name = unicodedata.normalize("NFC", name)
    name = _CONTROL.sub(" ", name)
    return _SPACES.sub(" ", name).strip()


@lru_cache(maxsize=65536)
def encode_name(name: str) -> str:
    """Encode a name as an IRI path segment: injective for cleaned names, always valid, at most ~130 characters."""
    name = clean_name(name) or "_"
    encoded = quote(name.replace("_", "\x00").replace(" ", "_"), safe="_").replace("%00", "%5F")
    if len(encoded) > _MAX_NAME:
        digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]
        encoded = encoded[: _MAX_NAME - 13].rstrip("%0123456789ABCDEF") + "-" + digest
    return encoded


@lru_cache(maxsize=65536)
def short_hash(text: str, length: int = 12) -> str:
    """Return the first `length` hex digits of the SHA-256 of `text`."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def article_iri(article_id: str) -> str:
    """Return the IRI of an article (also its named graph) from its stable id."""
    return f"{BASE}article/{encode_name(article_id)}"


def entity_iri(entity_type: str, name: str, qid: str | None = None) -> str:
    """Return the IRI of a named entity from its class name and canonical name, or its Wikidata QID when linked."""
    kind = coarse_type(entity_type)
    if qid:
        return f"{BASE}{kind}/{encode_name(qid)}"
    return f"{BASE}{kind}/{encode_name(name)}"


def group_iri(article_id: str, key: str) -> str:
    """Return the IRI of an unnamed group, which lives in one article only."""
    return f"{BASE}group/{short_hash(article_id)}/{encode_name(key)}"


def event_iri(article_id: str, key: str) -> str:
    """Return the IRI of an event mention of one article."""
    return f"{BASE}event/{short_hash(article_id)}/{encode_name(key)}"


def evidence_iri(article_id: str, start: int, end: int, confidence: float | None = None) -> str:
    """Return the IRI of the evidence node for the sentence at [start, end) of one article (and a confidence)."""
    suffix = "" if confidence is None else f"/{round(confidence * 100)}"
    return f"{BASE}evidence/{short_hash(article_id)}/{start}-{end}{suffix}"


def occurrence_iri(article_id: str, entity: str) -> str:
    """Return the IRI of the node counting one entity's mentions in one article."""
    return f"{BASE}occurrence/{short_hash(article_id)}/{short_hash(entity, 16)}"
