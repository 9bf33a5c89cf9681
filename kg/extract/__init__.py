"""Extraction: one parsed article in, its entities, events and relations out (no rdflib here).

`extract(article, doc)` runs the stages in order, checking the per-article deadline
(kg.limits.check_deadline) between them:

    entity_pass.build_index  entities, coreference, groups        (the finders fill kg/extract/index.py)
    relations.find_relations leaderOf, partOf, locatedIn, ...
    events.find_events       triggers, then their roles           (events.py; roles.py, arguments.py)
    modality.apply_modality  negated, Asserted/Hypothetical/Conditional/Planned/Generic (genericity.py)
    times.attach_times       date and time text, resolved against the article's date
    quantities               counts and money
    attribution              Statement `about`, `reportedBy`
    dateline                 the dateline's place on the article and on the events that soundly take it
"""

from __future__ import annotations

from pathlib import Path

from kg.limits import check_deadline
from kg.records import Article, Extraction


def extract(article: Article, doc, *, lexicon=None, gazetteer=None) -> Extraction:
    """Extract everything one article says.

    Takes the Article and its spaCy Doc (parsed from `article.text`), optionally a TriggerLexicon (or the path
    of a user lexicon file) and a Gazetteer (default: the packaged ones); returns an Extraction whose events
    carry roles by entity key, evidence, modality, time, quantities and attribution.
    """
    from kg.extract.attribution import attach_attribution
    from kg.extract.common import shared_view
    from kg.extract.dateline import attach_dateline_place, dateline_place, dateline_spans
    from kg.extract.entity_pass import build_index
    from kg.extract.events import find_events
    from kg.extract.modality import apply_modality
    from kg.extract.quantities import attach_counts, attach_money
    from kg.extract.relations import find_relations
    from kg.extract.times import attach_times
    from kg.extract.triggers import load_triggers

    if lexicon is None or isinstance(lexicon, str | Path):
        lexicon = load_triggers(Path(lexicon) if lexicon is not None else None)
    if gazetteer is None:
        from kg.resolve.gazetteer import load_gazetteer

        gazetteer = load_gazetteer()
    with shared_view(doc) as view:  # tokens, sentences and evidence are computed once for all stages
        # check_deadline() between stages: the per-article time budget (kg/limits.py) stops only here.
        index = build_index(doc, article, gazetteer, lexicon)  # checks between its own stages too
        check_deadline()
        relations = find_relations(doc, index, gazetteer)
        check_deadline()
        drafts = find_events(doc, index, lexicon)
        check_deadline()
        apply_modality(drafts)
        attach_times(drafts, doc, article.date)
        check_deadline()
        attach_counts(drafts, lexicon)
        attach_money(drafts, doc)
        attach_attribution(drafts, doc, index)
        place = dateline_place(dateline_spans(view.tokens), index)
        attach_dateline_place(drafts, index, place, article.date, lexicon)
        check_deadline()
        events = tuple(draft.freeze() for draft in drafts)
    return Extraction(
        article=article, entities=index.entities(), events=events, relations=tuple(relations), dateline_place=place
    )
