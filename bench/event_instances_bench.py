"""Time to add one article as the store fills with articles that tell of the same events.

    .venv/bin/python bench/event_instances_bench.py [--articles 10000] [--events 500] [--chunk 1000] [--disk]

Writes synthetic articles (no spaCy: hand-made Extractions, so only resolve, event instances, mapping
and the store are timed) with `kg.pipeline.Builder.write`, as `kg build` does after extraction.
Article i tells of event i % --events (a class and a patient company, the same week), with an agent
and a place, in two mentions ("X bought Y ... the takeover"), so every event ends with
articles / events sources. Prints the mean milliseconds per article for each chunk of --chunk articles, wall
clock and CPU time of this process (the CPU column is the one to read on a machine shared with other work):
a flat column means adding an article does not get slower with the number of events and sources stored.
--without-instances runs the same without event instances, to tell their cost from the rest of the write.
"""

from __future__ import annotations

import argparse
import tempfile
import time

from kg.pipeline import Builder
from kg.records import Article, Entity, Event, Evidence, Extraction, Mention, Role
from kg.store import open_store

CLASSES = ("Acquisition", "Attack", "Meeting", "Disaster", "Election")


def synthetic(i: int, events: int) -> Extraction:
    """Return the Extraction of synthetic article i: two mentions of event i % events, its agent, patient, place."""
    n = i % events
    agent, patient, place = f"Brennor {n % 37} Group", f"Quillon {n} Works", f"Vardesund {n % 11}"
    text = f"{agent} hit {patient} in {place}. The strike was brief. Report {i}."
    sentence = Evidence(text, 0, text.index(".") + 1)
    second = Evidence(text, sentence.end + 1, text.index(".", sentence.end) + 1)

    def mention(name: str) -> Mention:
        start = text.index(name)
        return Mention(start, start + len(name), name, evidence=sentence)

    entities = (
        Entity("a", "Company", agent, (agent,), (mention(agent),)),
        Entity("p", "Company", patient, (patient,), (mention(patient),)),
        Entity("l", "City", place, (place,), (mention(place),)),
    )
    cls = CLASSES[n % len(CLASSES)]
    roles = (Role("agent", "a"), Role("patient", "p"), Role("place", "l"))
    first = Event("ev1", cls, "hit", text.index(" hit") + 1, text.index(" hit") + 4, sentence, roles, "2024-05-06")
    start = text.index("strike")
    later = Event("ev2", cls, "strike", start, start + 6, second)
    article = Article(f"synthetic-{i:06d}", text, date="2024-05-07")
    return Extraction(article, entities, (first, later))


def main() -> None:
    """Parse arguments, write the articles and print the per-chunk timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--chunk", type=int, default=1000)
    parser.add_argument("--disk", action="store_true", help="an on-disk store (default: in memory)")
    parser.add_argument(
        "--without-instances", action="store_true", help="no event instances, to see what they cost (a comparison)"
    )
    args = parser.parse_args()
    if args.without_instances:
        import kg.resolve.resolver

        kg.resolve.resolver.event_instances = lambda resolved: ()
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(folder if args.disk else None)
        builder = Builder(store)
        print(f"{'articles':>9}{'ms/article':>12}{'CPU ms/article':>16}")
        started, cpu_started = time.perf_counter(), time.process_time()
        for i in range(args.articles):
            builder.write(synthetic(i, args.events))
            if (i + 1) % args.chunk == 0:
                now, cpu_now = time.perf_counter(), time.process_time()
                wall, cpu = (now - started) * 1000 / args.chunk, (cpu_now - cpu_started) * 1000 / args.chunk
                print(f"{i + 1:>9}{wall:>12.2f}{cpu:>16.2f}", flush=True)
                started, cpu_started = now, cpu_now
        count = store.select(
            "PREFIX kg: <https://w3id.org/newskg/ontology#> "
            "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i a kg:EventInstance }"
        )[0]["n"]
        expected = 0 if args.without_instances else min(args.events, args.articles)
        print(f"event instances stored: {count} (expected {expected})")
        store.close()


if __name__ == "__main__":
    main()
