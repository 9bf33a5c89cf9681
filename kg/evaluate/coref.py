"""Coreference scoring: MUC, B3 and CEAF-e (and their mean, the CoNLL F1) of entities and events.

Gold: every entity and event mention of a gold file that carries a `cluster_id`; the same id in two
documents is one real-world entity or event, so clusters run across all documents of the file.
Predicted: the pipeline's mentions, built together as `kg build` builds them (articles in id order,
one KnownEntities index across them, renames applied at the end); the cluster of an entity mention
is its resolved entity IRI, the cluster of an event mention its event instance (the mention node
when it has none).

The two are aligned per document: a predicted mention stands for the gold mention of the same kind
its span overlaps, one-to-one, largest overlap first (`kg.evaluate.matching.span_match`). Scores
are over all gold mentions: a gold mention the system did not find is a singleton of the response;
a predicted mention with no gold counterpart is left out (both corpora annotate only some mentions).
So key and response partition the same mentions, and the metrics take their textbook form:

- MUC (Vilain et al. 1995): recall = sum over key clusters K of (|K| - |partitions of K by the
  response|) / sum (|K| - 1); precision the same with key and response swapped.
- B3 (Bagga and Baldwin 1998): per mention m, precision |K(m) & R(m)| / |R(m)| and recall
  |K(m) & R(m)| / |K(m)|, averaged over mentions.
- CEAF-e (Luo 2005, phi4): phi4(K, R) = 2 |K & R| / (|K| + |R|); the one-to-one alignment of key
  and response clusters with the largest sum S (scipy's linear_sum_assignment); precision S /
  number of response clusters, recall S / number of key clusters.
- CoNLL F1: the mean of the three F1s.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from pathlib import Path

from kg.evaluate.gold import annotated_end, read_gold
from kg.evaluate.matching import span_match

KINDS = ("entity", "event")
Clusters = Mapping[Hashable, Hashable]  # mention -> cluster id


def _partition(assignment: Clusters) -> dict[Hashable, set]:
    clusters: dict[Hashable, set] = defaultdict(set)
    for mention, cluster in assignment.items():
        clusters[cluster].add(mention)
    return clusters


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _entry(p_num: float, p_den: float, r_num: float, r_den: float) -> dict:
    p = p_num / p_den if p_den else 0.0
    r = r_num / r_den if r_den else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(_f1(p, r), 4)}


def _muc_side(key: Clusters, response: Clusters) -> tuple[int, int]:
    numerator = denominator = 0
    for mentions in _partition(key).values():
        parts = {response[m] for m in mentions}
        numerator += len(mentions) - len(parts)
        denominator += len(mentions) - 1
    return numerator, denominator


def muc(key: Clusters, response: Clusters) -> dict:
    """Return MUC {"p","r","f1"} of a response against a key over the same mentions (mention -> cluster id each)."""
    r_num, r_den = _muc_side(key, response)
    p_num, p_den = _muc_side(response, key)
    return _entry(p_num, p_den, r_num, r_den)


def b_cubed(key: Clusters, response: Clusters) -> dict:
    """Return B3 {"p","r","f1"} of a response against a key over the same mentions."""
    key_sets, response_sets = _partition(key), _partition(response)
    precision = recall = 0.0
    for mention in key:
        k, r = key_sets[key[mention]], response_sets[response[mention]]
        common = len(k & r)
        precision += common / len(r)
        recall += common / len(k)
    return _entry(precision, len(key), recall, len(key))


def ceaf_e(key: Clusters, response: Clusters) -> dict:
    """Return entity-based CEAF (phi4) {"p","r","f1"} of a response against a key over the same mentions.

    The optimal alignment is solved per connected group of clusters that share mentions, which
    gives the same total as one big assignment and keeps each matrix small.
    """
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    key_sets, response_sets = _partition(key), _partition(response)
    total = 0.0
    for key_ids, response_ids in _components(key, response):
        matrix = np.zeros((len(key_ids), len(response_ids)))
        for i, k in enumerate(key_ids):
            for j, r in enumerate(response_ids):
                common = len(key_sets[k] & response_sets[r])
                matrix[i, j] = 2 * common / (len(key_sets[k]) + len(response_sets[r]))
        rows, cols = linear_sum_assignment(matrix, maximize=True)
        total += float(matrix[rows, cols].sum())
    return _entry(total, len(response_sets), total, len(key_sets))


class DisjointSets:
    """Union-find over hashable items: `union(a, b)` joins the sets of a and b, `find(x)` names x's set."""

    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, x: Hashable) -> Hashable:
        """Return the representative of x's set (x joins a set of its own when new)."""
        parent = self.parent
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: Hashable, b: Hashable) -> None:
        """Join the sets of a and b."""
        a, b = self.find(a), self.find(b)
        if a != b:
            self.parent[a] = b


def _components(key: Clusters, response: Clusters) -> list[tuple[list, list]]:
    """Group key and response clusters linked by a shared mention (union-find); returns (key ids, response ids)."""
    sets = DisjointSets()
    for mention in key:
        sets.union(("k", key[mention]), ("r", response[mention]))
    groups: dict = defaultdict(lambda: ([], []))
    for node in list(sets.parent):
        side, cluster = node
        groups[sets.find(node)][0 if side == "k" else 1].append(cluster)
    return list(groups.values())


def coref_scores(key: Clusters, response: Clusters) -> dict:
    """Score a response against a key: {"muc","b3","ceafe": {"p","r","f1"}, "conll": mean F1, "mentions", ...}.

    Takes two mappings mention -> cluster id; the response is read over the key's mentions only
    (a key mention it lacks is a singleton, a mention only it has is dropped).
    """
    response = {m: response.get(m, ("singleton", m)) for m in key}
    scores = {"muc": muc(key, response), "b3": b_cubed(key, response), "ceafe": ceaf_e(key, response)}
    scores["conll"] = round(sum(s["f1"] for s in scores.values()) / 3, 4)
    scores["mentions"] = len(key)
    scores["key_clusters"] = len(set(key.values()))
    scores["response_clusters"] = len(set(response.values()))
    return scores


def gold_clusters(docs: Sequence[dict], scope: str = "document") -> dict[str, dict]:
    """Return the key of each kind: {"entity"|"event": {(doc id, kind, mention id): cluster id}}.

    Takes gold documents and a scope ("annotated": only mentions in MEANTIME's annotated lines).
    Mentions without a cluster_id or a span are left out.
    """
    key: dict[str, dict] = {kind: {} for kind in KINDS}
    for doc in docs:
        limit = annotated_end(doc["text"], scope)
        for kind, items in (("entity", doc["entities"]), ("event", doc["events"])):
            for item in items:
                if item.get("cluster_id") is None or item.get("start") is None or item["start"] >= limit:
                    continue
                key[kind][(doc["id"], kind, item["id"])] = item["cluster_id"]
    return key


def align(docs: Sequence[dict], predicted: Sequence[dict[str, list]], key: dict[str, dict]) -> dict[str, dict]:
    """Carry predicted clusters over to the gold mentions they stand for.

    Takes gold documents, per document {"entity"|"event": [((start, end), cluster id), ...]} and the
    key from `gold_clusters`; returns the response {kind: {gold mention: cluster id}} holding only
    gold mentions some predicted mention overlaps (one-to-one, largest overlap first).
    """
    response: dict[str, dict] = {kind: {} for kind in KINDS}
    for doc, mentions in zip(docs, predicted, strict=True):
        for kind, items in (("entity", doc["entities"]), ("event", doc["events"])):
            gold = [g for g in items if (doc["id"], kind, g["id"]) in key[kind]]
            found = sorted(mentions.get(kind, ()), key=lambda pc: (pc[0], str(pc[1])))
            pairs = span_match([span for span, _ in found], [(g["start"], g["end"]) for g in gold])
            for i, j in pairs.items():
                response[kind][(doc["id"], kind, gold[j]["id"])] = found[i][1]
    return response


def resolve_in_build_order(extractions: Sequence, gazetteer=None):
    """Resolve extractions together, in article-id order, as `kg build` does.

    Takes a sequence of Extractions and an optional Gazetteer; returns ({index: ResolvedExtraction}, final),
    where `final(iri)` follows the renames later articles caused to the IRI an entity ends up with.
    """
    from kg.resolve.gazetteer import load_gazetteer
    from kg.resolve.known import KnownEntities
    from kg.resolve.resolver import resolve

    gazetteer = gazetteer if gazetteer is not None else load_gazetteer(None)
    known = KnownEntities(gazetteer)
    renames: dict[str, str] = {}
    resolved_by_index = {}
    for index in sorted(range(len(extractions)), key=lambda i: extractions[i].article.id):
        resolved_by_index[index] = resolve(extractions[index], known, gazetteer)
        renames.update(known.add(resolved_by_index[index], rename=True))

    def final(iri: str) -> str:
        seen = set()
        while iri in renames and iri not in seen:
            seen.add(iri)
            iri = renames[iri]
        return iri

    return resolved_by_index, final


def predicted_mentions(extractions: Iterable, gazetteer=None) -> list[dict[str, list]]:
    """Resolve extractions as `kg build` does and list each article's mentions with their clusters.

    Takes Extractions (any order: they are built in article-id order, as `kg build` does) and an
    optional Gazetteer; returns, in the input order, {"entity": [((start, end), entity IRI)],
    "event": [((start, end), event instance IRI)]} per extraction. Entity IRIs are the final ones, after
    every rename a later article caused, and so are event instances: an instance anchored on a renamed
    entity is re-minted from its key with the new IRI, as the store does (kg/store/updates.py, rename_update).
    """
    from kg import iris
    from kg.resolve.event_instances import instance_iri

    extractions = list(extractions)
    resolved_by_index, final = resolve_in_build_order(extractions, gazetteer)
    result = []
    for index, extraction in enumerate(extractions):
        resolved = resolved_by_index[index]
        article_id = extraction.article.id
        entities = []
        for entity in extraction.entities:
            r = resolved.entities.get(entity.key)
            cluster = final(r.iri) if r is not None else iris.group_iri(article_id, entity.key)
            entities.extend(((m.start, m.end), cluster) for m in entity.mentions)
        # The key's parts are "|"-joined; only an entity IRI among them can have been renamed.
        instances = {
            key: instance_iri("|".join(final(part) for part in instance.key.split("|")))
            for instance in resolved.instances
            for key in instance.mentions
        }
        events = [
            ((e.start, e.end), instances.get(e.key) or iris.event_iri(article_id, e.key)) for e in extraction.events
        ]
        result.append({"entity": entities, "event": events})
    return result


def score_coref(docs: Sequence[dict], predicted: Sequence[dict[str, list]], scope: str = "document") -> dict:
    """Score predicted mention clusters against gold documents.

    Takes gold documents, their predicted mentions (as `predicted_mentions` returns them) and a scope;
    returns {"coref": {"entity": scores, "event": scores}, "documents": n} with scores as
    `coref_scores` gives them.
    """
    key = gold_clusters(docs, scope)
    response = align(docs, predicted, key)
    return {
        "scope": scope,
        "documents": len(docs),
        "coref": {kind: coref_scores(key[kind], response[kind]) for kind in KINDS},
    }


def evaluate_coref(gold_path: Path, *, topics: set[str] | None = None, nlp=None, scope: str = "annotated") -> dict:
    """Run the pipeline on a gold file's texts, build them together and score coreference.

    Takes a gold JSONL path, optional topics, spaCy pipeline and scope; returns `score_coref`'s report.
    """
    from kg.evaluate.scoring import run_extractor

    docs = read_gold(Path(gold_path), topics)
    extractions = run_extractor(docs, nlp=nlp)
    return score_coref(docs, predicted_mentions(extractions), scope)


def format_coref(report: dict) -> str:
    """Render a coreference report as a plain-text table (one row per kind and metric)."""
    lines = [
        f"coreference ({report['documents']} documents, scope: {report['scope']})",
        f"{'':<8}{'metric':<8}{'P':>7}{'R':>7}{'F1':>7}",
    ]
    for kind in KINDS:
        scores = report["coref"][kind]
        for metric in ("muc", "b3", "ceafe"):
            s = scores[metric]
            lines.append(f"{kind:<8}{metric:<8}{s['p']:>7.3f}{s['r']:>7.3f}{s['f1']:>7.3f}")
        lines.append(
            f"{kind:<8}{'conll':<8}{'':>14}{scores['conll']:>7.3f}   ({scores['mentions']} gold mentions, "
            f"{scores['key_clusters']} gold clusters, {scores['response_clusters']} predicted)"
        )
    return "\n".join(lines)
