"""Time of Markdown cleaning on hostile lines, at 1x, 10x and 100x their base size (issue 13, finding 11).

    .venv/bin/python bench/ingest_markdown.py [--sizes 1,10,100] [--base 2000]

Each input is one line of a Markdown document built by repeating a unit `base * size` times:
"*a " (an emphasis mark never closed), "<!--" (comments never closed), "[" and "![" (brackets
never closed), "[a](" (link targets never closed), "`a " and a line of `base * size * 10` letters with no
space. The line goes through `article_from_text(..., markdown=True)`, the same path as `kg
build x.md` up to the NLP. Prints one row per input: characters and seconds per size. Cleaning is
linear when each 10x step costs about 10x the time (well under a second at 100x).
"""

from __future__ import annotations

import argparse
import contextlib
import time

from kg.ingest import article_from_text

UNITS = {
    "'*a ' repeated": "*a ",
    "'<!--' repeated": "<!--",
    "'[' repeated": "[",
    "'![' repeated": "![",
    "'[a](' repeated": "[a](",
    "'`a ' repeated": "`a ",
    "no spaces": "aaaaaaaaaa",
}


def seconds(text: str) -> float:
    """Seconds taken to clean one Markdown document (a skip for no text counts too)."""
    started = time.perf_counter()
    with contextlib.suppress(ValueError):
        article_from_text(text, source="bench", markdown=True)
    return time.perf_counter() - started


def main() -> None:
    """Parse the options, time every input at every size, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100", help="multiples of the base size (comma-separated)")
    parser.add_argument("--base", type=int, default=2000, help="repetitions of the unit at size 1")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'input':<18}" + "".join(f"{f'{s}x chars':>12}{f'{s}x s':>9}" for s in sizes))
    for name, unit in UNITS.items():
        row = f"{name:<18}"
        for size in sizes:
            text = "Title line\n\n" + unit * (args.base * size) + "\n"
            row += f"{len(text):>12,}{seconds(text):>9.3f}"
        print(row, flush=True)


if __name__ == "__main__":
    main()
