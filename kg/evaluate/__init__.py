"""`kg eval`: extraction scored against gold files (MEANTIME, WikiEvents, ECB+ in one JSON Lines format).

One module per concept:

- `gold` -- reading gold documents and what each says (named mentions, date, argument spans, dates).
- `matching` -- character spans, overlap and one-to-one pairing of predicted with gold items.
- `prf` -- precision, recall and F1 from tp/fp/fn counts, shared by every scorer.
- `scoring` -- extraction metrics (entity, trigger, roles, attribution, date) per document and per
  topic; `evaluate` runs the pipeline on the gold texts and scores it.
- `report` -- the plain-text tables `kg eval` prints.
- `coref` -- coreference of entities and events across a gold file: MUC, B3, CEAF-e, CoNLL F1.

Further scorers get a module of their own beside `scoring` (coreference: MUC, B3, CEAF-e in
`coref`; WikiEvents class and place metrics in `wikievents`), read documents through `gold`, pair
through `matching`, turn counts into figures with `prf`, and are re-exported here.
"""

from kg.evaluate.coref import coref_scores, evaluate_coref, format_coref, score_coref
from kg.evaluate.gold import annotated_end, document_date, gold_args, gold_article, gold_dates, mark_named, read_gold
from kg.evaluate.matching import argument_span, match_one_to_one, overlaps, role_span
from kg.evaluate.report import format_table
from kg.evaluate.scoring import METRICS, evaluate, metrics, run_extractor, score, score_document

__all__ = [
    "METRICS",
    "annotated_end",
    "coref_scores",
    "argument_span",
    "document_date",
    "evaluate",
    "evaluate_coref",
    "format_coref",
    "format_table",
    "gold_article",
    "gold_args",
    "gold_dates",
    "mark_named",
    "match_one_to_one",
    "metrics",
    "overlaps",
    "read_gold",
    "role_span",
    "run_extractor",
    "score",
    "score_coref",
    "score_document",
]
