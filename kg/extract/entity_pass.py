"""The entity pass: one run over a parsed article that fills an IndexBuilder and freezes it.

The finders (names, coreference, collectives, groups, references, metonyms) each take the Doc and
the builder as arguments and import nothing of this module, so the builder and the finders stand
in one direction: finders -> index, and this pass -> both.
"""

from __future__ import annotations

from kg.extract import coref, entities, entity_types, groups, name_links
from kg.extract.index import EntityIndex, IndexBuilder
from kg.limits import check_deadline
from kg.records import Article


def build_index(doc, article: Article, gazetteer, lexicon=None) -> EntityIndex:
    """Take a parsed Doc, its Article, a Gazetteer and optionally the TriggerLexicon (default: the packaged
    one); return the article's EntityIndex (all entity stages run)."""
    builder = IndexBuilder(doc, gazetteer)
    entities.find_names(doc, builder)
    check_deadline()
    name_links.link_names(doc, builder)
    check_deadline()
    entity_types.decide_types(builder)
    check_deadline()
    entities.find_collectives(doc, builder)
    check_deadline()
    groups.find_groups(doc, builder)
    check_deadline()
    coref.resolve_references(doc, builder, lexicon)
    check_deadline()
    coref.apply_metonyms(doc, builder)
    check_deadline()
    return builder.freeze()
