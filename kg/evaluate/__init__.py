"""`kg eval`: extraction scored against gold files (MEANTIME, WikiEvents, ECB+ in one JSON Lines format)."""

from kg.evaluate.scoring import evaluate, format_table, read_gold, score

__all__ = ["evaluate", "format_table", "read_gold", "score"]
