"""Merged events in the explorer: the mentions of one kg:EventInstance drawn as one event node.

Event coreference gives each real-world event one `kg:EventInstance`, denoted by the event mentions of
every article that reports it (`kg:instanceOf`). The explorer draws such an event once: `merge_instances`
folds the mention records of an instance with two mentions or more into one record under the instance's
IRI, with the union of their classes, triggers, values and evidence, and the number of articles that
report it; `merged_iri` moves the mentions' links (participants, places, sources) to that node.
"""

from __future__ import annotations

from collections import defaultdict

KG = "https://w3id.org/newskg/ontology#"
_Q_INSTANCES = f"PREFIX kg: <{KG}> SELECT ?m ?i WHERE {{ ?m kg:instanceOf ?i }}"


def instance_of(select) -> dict[str, str]:
    """Return {event mention IRI: instance IRI} for instances of two mentions or more, read with `select`."""
    mentions: dict[str, set[str]] = defaultdict(set)
    for row in select(_Q_INSTANCES):
        mentions[str(row["i"])].add(str(row["m"]))
    return {m: i for i, ms in mentions.items() if len(ms) > 1 for m in ms}


def merge_instances(events: dict[str, dict], evidence: dict[str, dict], instances: dict[str, str]) -> None:
    """Fold the event records of each instance's mentions into one record keyed by the instance IRI.

    Takes the reader's event records ({IRI: {"iri", "classes", "triggers", "values"}}), its evidence
    ({IRI: {evidence IRI: item}}) and `instance_of`'s map; changes both in place. The merged record gets
    "mentions" (how many mentions it folds) and "reports" (how many articles its evidence comes from).
    """
    merged: dict[str, dict] = {}
    for mention in sorted(instances):
        if mention not in events:
            continue
        instance = instances[mention]
        record = events.pop(mention)
        target = merged.setdefault(
            instance, {"iri": instance, "classes": set(), "triggers": set(), "values": defaultdict(set), "mentions": 0}
        )
        target["classes"] |= record["classes"]
        target["triggers"] |= record["triggers"]
        for key, values in record["values"].items():
            target["values"][key] |= values
        target["mentions"] += 1
        evidence.setdefault(instance, {}).update(evidence.pop(mention, {}))
    for instance, record in merged.items():
        record["reports"] = len({e.get("article") for e in evidence.get(instance, {}).values() if e.get("article")})
        events[instance] = record


def merged_iri(iri: str, instances: dict[str, str], events: dict[str, dict]) -> str:
    """Return the node an IRI is drawn as: its instance when that instance was merged, else the IRI itself."""
    instance = instances.get(iri)
    return instance if instance is not None and instance in events else iri
