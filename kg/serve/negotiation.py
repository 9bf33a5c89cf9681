"""Content negotiation for the SPARQL 1.1 Protocol: which media type to answer in, and form bodies."""

from __future__ import annotations

from urllib.parse import parse_qsl

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


def form_fields(body: str) -> dict[str, list[str]]:
    """Return the fields of an application/x-www-form-urlencoded body (a field may repeat)."""
    fields: dict[str, list[str]] = {}
    for name, value in parse_qsl(body, keep_blank_values=True):
        fields.setdefault(name, []).append(value)
    return fields
