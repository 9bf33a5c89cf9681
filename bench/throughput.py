"""Throughput of a full `kg build` against bare spaCy `nlp.pipe` on the same texts, in one run.

Usage (from the repository root):

    .venv/bin/python bench/throughput.py [--batch-size 16] [--processes 1] [--repeat 1]
                                         [--min-words 20000] [--no-meantime] [--format table|json]

The corpus is written to a temporary JSON Lines file: the articles under examples/ plus, when
../shared/eval/meantime/meantime_en_gold.jsonl is there (and --no-meantime is not given), the 120
MEANTIME texts; then copies of the example articles (new ids, same text) until it holds at least
--min-words words (counted before ingest cleans the text, so the run may see a few less). Both
runs get exactly the texts ingest makes of that file, the same batch size and the same number of
processes, with the model already loaded:

- `nlp.pipe`: the model as published (`spacy.load`, none of newskg's changes to its pipeline):
  every Doc is produced and dropped;
- `kg build`: `kg.pipeline.build` into a fresh on-disk store (ingest, annotate, extract, resolve,
  map, store), as `kg build` runs it.

With one process, `kg build` parses in its parse process (kg/annotate_process.py): a child with its own
copy of the model, started and loaded before the timing as the model of this process is, and told to
forget its pipes' memories before each build as this process's are; `--parse-in-thread` times the
build that parses in a thread of this process instead (`kg build --parse-in-thread`).

Printed: articles/s and words/s for each (median over --repeat runs), the ratio of build
words/s to nlp.pipe words/s (the target is at least 0.75), and the ratio within each pair of
runs (one right after the other, in alternating order), which share the machine's load of that
moment. With one process the CPU seconds of the build (this process and its parse process) and the
ratio by CPU time are printed too: on a busy machine wall time swings with other load, CPU time much
less. `kg build` runs the parse in a child and writes the store from a second thread (kg/store/writer.py),
so its wall time gains from a second core while its CPU time counts every process and thread: the wall
ratio is what a user waits for, the CPU ratio is the work done. Last, where /proc/stat is there, the
share of the machine's CPU time its hypervisor stole during the runs: on a VM a run with much steal
reads low for reasons outside the code.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.annotate import MODEL_NAMES, load_model  # noqa: E402
from kg.annotate_process import shared_parser  # noqa: E402
from kg.ingest import read_paths  # noqa: E402
from kg.records import Article  # noqa: E402

EXAMPLES = ROOT / "examples"
MEANTIME = ROOT.parent / "shared" / "eval" / "meantime" / "meantime_en_gold.jsonl"
TARGET_RATIO = 0.75


def _record(article: Article, article_id: str) -> dict:
    return {"id": article_id, "title": article.title, "date": article.date, "url": article.url, "text": article.text}


def write_corpus(path: Path, *, min_words: int, use_meantime: bool) -> None:
    """Write the benchmark corpus as JSON Lines.

    Takes the output path, the least number of words wanted and whether to include MEANTIME
    texts; writes one article object per line (see the module docstring for what goes in).
    """
    examples = [a for a in read_paths([EXAMPLES]) if isinstance(a, Article)]
    if not examples:
        raise SystemExit(f"no readable articles under {EXAMPLES}")
    records = [_record(a, a.id) for a in examples]
    if use_meantime and MEANTIME.is_file():
        with open(MEANTIME, encoding="utf-8") as handle:
            for line in handle:
                doc = json.loads(line)
                records.append({"id": f"meantime-{doc['id']}", "title": "", "url": doc.get("url"), "text": doc["text"]})
    words = sum(len(r["text"].split()) for r in records)
    copy = 0
    while words < min_words:
        copy += 1
        for article in examples:
            records.append(_record(article, f"{article.id}#copy{copy}"))
            words += len(article.text.split())
    with open(path, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def stock_model():
    """Return the spaCy model as published, without newskg's components: the bare `nlp.pipe` to compare with.

    kg.annotate.load_model adds a dateline component and swaps two components for exact, faster
    stand-ins (kg/annotate_pipes.py); those are part of what `kg build` does, so the baseline leaves them out.
    """
    import spacy

    for name in MODEL_NAMES:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise SystemExit("no spaCy English model installed: tried " + ", ".join(MODEL_NAMES))


def time_nlp_pipe(nlp, texts: list[str], batch_size: int, n_process: int) -> tuple[float, float]:
    """Return (wall seconds, CPU seconds of this process) `nlp.pipe` takes to produce a Doc for every text."""
    started, cpu = time.perf_counter(), time.process_time()
    for _doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
        pass
    return time.perf_counter() - started, time.process_time() - cpu


def child_cpu_seconds(pid: int | None) -> float:
    """Return the CPU seconds (user + system) process `pid` has used so far, from /proc; 0 where unknown."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError, TypeError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_build(corpus: Path, workdir: Path, batch_size: int, n_process: int, *, parse_process: bool = True):
    """Run `kg.pipeline.build` on the corpus into a fresh on-disk store; return (wall s, CPU s, BuildReport).

    The CPU seconds are this process's and, when the build parses in the parse process, that child's.
    """
    from kg.annotate_pipes import forget
    from kg.pipeline import BuildOptions, build
    from kg.store import open_store

    forget(load_model())  # each build starts with what a fresh `kg build` process remembers: nothing
    child = shared_parser() if parse_process and n_process == 1 else None
    if child is not None:
        child.forget()
    store = open_store(tempfile.mkdtemp(prefix="store-", dir=workdir))
    options = BuildOptions(batch_size=batch_size, n_process=n_process, progress=False, parse_process=parse_process)
    child_cpu = child_cpu_seconds(child.pid) if child else 0.0
    started, cpu = time.perf_counter(), time.process_time()
    report = build([corpus], store, options)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if child is not None:
        cpu += child_cpu_seconds(child.pid) - child_cpu
    store.close()
    return seconds, cpu, report


def machine_counters() -> tuple[int, int] | None:
    """Return (steal, total) CPU jiffies of the whole machine from /proc/stat, or None where there is none.

    Steal is time the hypervisor gave this VM's CPUs to someone else: the share of it during a run says
    how much of a slow figure was the machine's, not the code's.
    """
    try:
        with open("/proc/stat", encoding="ascii") as handle:
            fields = [int(value) for value in handle.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    return (fields[7] if len(fields) > 7 else 0), sum(fields[:8])


def steal_share(before: tuple[int, int] | None, after: tuple[int, int] | None) -> float | None:
    """Return the share of the machine's CPU time stolen between two `machine_counters` readings."""
    if before is None or after is None or after[1] <= before[1]:
        return None
    return round((after[0] - before[0]) / (after[1] - before[1]), 3)


def _rates(runs: list[tuple[float, float]], articles: int, words: int) -> dict:
    seconds = statistics.median(run[0] for run in runs)
    cpu = statistics.median(run[1] for run in runs)
    return {
        "seconds": round(seconds, 2),
        "articles_per_s": round(articles / seconds, 2),
        "words_per_s": round(words / seconds, 1),
        "cpu_seconds": round(cpu, 2),
        "words_per_cpu_s": round(words / cpu, 1),
    }


def main(argv=None) -> None:
    """Parse the arguments, build the corpus, time both runs and print the result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the median is reported")
    parser.add_argument("--min-words", type=int, default=20000)
    parser.add_argument("--no-meantime", action="store_true", help="do not read ../shared even when present")
    parser.add_argument(
        "--parse-in-thread", action="store_true", help="kg build parses in a thread, not in the parse process"
    )
    parser.add_argument("--format", choices=["table", "json"], default="table")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        workdir = Path(tmp)
        corpus = workdir / "corpus.jsonl"
        write_corpus(corpus, min_words=args.min_words, use_meantime=not args.no_meantime)
        articles = [a for a in read_paths([corpus]) if isinstance(a, Article)]
        texts = [a.text for a in articles]
        words = sum(len(t.split()) for t in texts)
        load_model()  # what kg build uses, loaded before timing as the baseline's model is
        parse_process = not args.parse_in_thread and args.processes == 1
        if parse_process and not ((child := shared_parser()) and child.ready()):
            print("warning: no parse process here; kg build parses in a thread", file=sys.stderr)
        nlp = stock_model()
        time_nlp_pipe(nlp, texts[:4], args.batch_size, 1)  # warm-up: first calls allocate
        pipe_runs, build_runs = [], []
        counters = machine_counters()
        for run in range(args.repeat):
            # Alternate which goes first, so a machine growing faster or slower favours neither.
            if run % 2 == 0:
                pipe_runs.append(time_nlp_pipe(nlp, texts, args.batch_size, args.processes))
            seconds, cpu, report = time_build(
                corpus, workdir, args.batch_size, args.processes, parse_process=parse_process
            )
            if run % 2 == 1:
                pipe_runs.append(time_nlp_pipe(nlp, texts, args.batch_size, args.processes))
            if report.built != len(articles):
                print(f"warning: built {report.built} of {len(articles)} articles", file=sys.stderr)
                for skipped in report.skipped[:5]:
                    print(f"  skipped {skipped.source}: {skipped.reason}", file=sys.stderr)
            build_runs.append((seconds, cpu))
        stolen = steal_share(counters, machine_counters())

    pipe = _rates(pipe_runs, len(articles), words)
    built = _rates(build_runs, len(articles), words)
    ratio = round(built["words_per_s"] / pipe["words_per_s"], 3)
    # Each build ran next to its nlp.pipe run, so a pair's ratio shares that moment's machine load.
    pair_ratios = sorted(round(p[0] / b[0], 3) for p, b in zip(pipe_runs, build_runs, strict=True))
    pair_median = round(statistics.median(pair_ratios), 3)
    # With one process all the work is in this process and its parse process, so CPU time is a measure that
    # other load on the machine does not distort; worker processes' CPU time is not seen, so it is left out then.
    cpu_ratio = round(built["words_per_cpu_s"] / pipe["words_per_cpu_s"], 3) if args.processes == 1 else None
    result = {
        "articles": len(articles),
        "words": words,
        "batch_size": args.batch_size,
        "processes": args.processes,
        "repeat": args.repeat,
        "nlp_pipe": pipe,
        "kg_build": built,
        "ratio": ratio,
        "pair_ratios": pair_ratios,
        "pair_median": pair_median,
        "cpu_ratio": cpu_ratio,
        "steal_share": stolen,
        "target": TARGET_RATIO,
    }
    if args.format == "json":
        print(json.dumps(result, indent=1))
        return
    print(
        f"{len(articles)} articles, {words} words; batch size {args.batch_size}, {args.processes} process(es), "
        f"median of {args.repeat}"
    )
    for name, rates in (("nlp.pipe", pipe), ("kg build", built)):
        print(
            f"{name:<10}{rates['seconds']:>9.2f} s{rates['articles_per_s']:>10.2f} articles/s"
            f"{rates['words_per_s']:>11.1f} words/s   CPU {rates['cpu_seconds']:.2f} s"
            f" = {rates['words_per_cpu_s']:.1f} words/CPU-s"
        )
    verdict = "meets" if ratio >= TARGET_RATIO else "below"
    print(f"ratio (kg build / nlp.pipe, words/s): {ratio:.3f} — {verdict} the target of {TARGET_RATIO}")
    print(f"ratio within each pair of runs (median {pair_median:.3f}): " + ", ".join(f"{r:.3f}" for r in pair_ratios))
    if cpu_ratio is not None:
        print(f"ratio by CPU time of the build's processes: {cpu_ratio:.3f} (less disturbed by other load)")
    if stolen is not None:
        print(f"CPU time the hypervisor took from this machine during the runs (steal): {stolen:.1%}")


if __name__ == "__main__":
    main()
