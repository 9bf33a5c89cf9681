"""Plain-text tables of an evaluation report (what `kg eval` prints)."""

from __future__ import annotations

from kg.evaluate.gold import ANNOTATED_LINES


def _table_block(title: str, entry: dict) -> list[str]:
    lines = [
        f"{title} ({entry['documents']} documents)",
        f"{'metric':<16}{'P':>7}{'R':>7}{'F1':>7}{'tp':>7}{'fp':>7}{'fn':>7}",
    ]
    rows = [("entity", entry["entity"]), ("entity overlap", entry["entity"]["overlap"])]
    rows += [(name, entry[name]) for name in ("trigger", "agent", "patient", "role", "attribution")]
    if "matched" in entry["role"]:  # gold that annotates only some event types (kg.evaluate.wikievents)
        rows += [("role (matched)", entry["role"]["matched"]), ("place", entry["place"])]
    for name, e in rows:
        lines.append(f"{name:<16}{e['p']:>7.3f}{e['r']:>7.3f}{e['f1']:>7.3f}{e['tp']:>7}{e['fp']:>7}{e['fn']:>7}")
    date = entry["date"]
    lines.append(
        f"{'date accuracy':<16}{date['accuracy']:>7.3f}  ({date['correct']} of {date['total']} found gold-dated "
        f"events; {date['dated']} given a date)"
    )
    lines.append(
        f"{'':<16}attribution: {entry['attribution']['about']} of the matched statements name the reported event"
    )
    if "class" in entry:
        classes = entry["class"]
        lines.append(
            f"{'class accuracy':<16}{classes['accuracy']:>7.3f}  ({classes['correct']} of {classes['n']} matched "
            "gold events with kg_classes)"
        )
    return lines


def format_table(report: dict, title: str = "all") -> str:
    """Render a report as plain-text tables: one per topic when there are several, then the whole selection.

    Takes a report from `score`/`evaluate` and a title for the whole selection; returns the text.
    """
    blocks = []
    topics = report.get("topics", {})
    if len(topics) > 1:
        blocks += [_table_block(topic, entry) for topic, entry in topics.items()]
    blocks.append(_table_block(title, report))
    scope = report.get("scope", "annotated")
    note = (
        f"scope: events in the first {ANNOTATED_LINES} lines of each document, MEANTIME's annotated part"
        if scope == "annotated"
        else "scope: whole documents (later sentences carry no gold events, so precision is understated)"
    )
    return "\n\n".join("\n".join(block) for block in blocks) + "\n" + note
