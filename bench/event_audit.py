"""Every event newskg extracts from the longest articles of a JSON Lines file, one row each, for hand judgement.

Builds the file into an in-memory store with the real pipeline, picks the `--longest N` articles by
text length, and prints for each of their events: the sentence it was read from, the trigger, the
class, agent, patient, recipient, place, modality, negation, date and the quantity. A person then
marks each row correct, trivial or wrong; the share wrong is the figure issue 14 asks for.

    .venv/bin/python bench/event_audit.py ../shared/eval/real-dev/articles.jsonl --longest 3 > audit.tsv
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import kg  # noqa: E402

EVENTS = """
SELECT ?article ?begin ?sentence ?event ?trigger
       (GROUP_CONCAT(DISTINCT ?className; separator="/") AS ?class)
       (SAMPLE(?a) AS ?agent) (SAMPLE(?p) AS ?patient) (SAMPLE(?r) AS ?recipient) (SAMPLE(?pl) AS ?place)
       (SAMPLE(?m) AS ?modality) (SAMPLE(?n) AS ?negated) (SAMPLE(?d) AS ?date) (SAMPLE(?q) AS ?quantity)
WHERE {
  ?event kg:trigger ?trigger ; kg:evidence ?ev .
  ?ev kg:article ?article ; nif:anchorOf ?sentence ; nif:beginIndex ?begin .
  OPTIONAL { ?event a ?cls . FILTER(STRSTARTS(STR(?cls), STR(kg:)) && ?cls != kg:Event)
             BIND(STRAFTER(STR(?cls), "#") AS ?className) }
  OPTIONAL { ?event kg:agent ?ae . OPTIONAL { ?ae rdfs:label ?al } BIND(COALESCE(?al, STR(?ae)) AS ?a) }
  OPTIONAL { ?event kg:patient ?pe . OPTIONAL { ?pe rdfs:label ?pll } BIND(COALESCE(?pll, STR(?pe)) AS ?p) }
  OPTIONAL { ?event kg:recipient/rdfs:label ?r }
  OPTIONAL { ?event kg:place/rdfs:label ?pl }
  OPTIONAL { ?event kg:modality ?mod . BIND(STRAFTER(STR(?mod), "#") AS ?m) }
  OPTIONAL { ?event kg:negated ?n }
  OPTIONAL { ?event kg:date ?d }
  OPTIONAL { ?event kg:quantity ?q }
}
GROUP BY ?article ?begin ?sentence ?event ?trigger
ORDER BY ?article ?begin ?event
"""


def main() -> None:
    """Parse the arguments, build, and print the table (TSV) on stdout."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("jsonl", type=Path, help="articles as JSON Lines (one object with 'text' per line)")
    parser.add_argument("--longest", type=int, default=3, help="how many of the longest articles to list")
    args = parser.parse_args()
    records = [json.loads(line) for line in args.jsonl.read_text(encoding="utf-8").splitlines() if line.strip()]
    chosen = sorted(records, key=lambda r: len(r.get("text", "")), reverse=True)[: args.longest]
    store = kg.open_store(None)
    kg.build([args.jsonl], store=store)
    headlines = {r.get("title") for r in chosen}
    rows = kg.query(EVENTS.replace("WHERE {", "WHERE { ?article schema:headline ?headline .", 1), store=store)
    out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    out.writerow(["article", "sentence", "trigger", "class", "agent", "patient", "recipient", "place",
                  "modality", "negated", "date", "quantity", "judgement"])  # fmt: skip
    titles = dict(kg.query("SELECT ?article ?headline WHERE { ?article schema:headline ?headline }", store=store).rows)
    for row in rows:
        if titles.get(row["article"]) not in headlines:
            continue
        out.writerow([
            titles[row["article"]][:40], " ".join(row["sentence"].split())[:160], row["trigger"], row.get("class", ""),
            row.get("agent", ""), row.get("patient", ""), row.get("recipient", ""), row.get("place", ""),
            row.get("modality", ""), row.get("negated", ""), row.get("date", ""), row.get("quantity", ""), "",
        ])  # fmt: skip


if __name__ == "__main__":
    main()
