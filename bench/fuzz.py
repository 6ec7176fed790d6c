"""Long fuzz campaigns over the parsers the command line reaches (the targets of tests/fuzz, many more inputs).

    .venv/bin/python bench/fuzz.py --minutes 20                 # every target, time shared
    .venv/bin/python bench/fuzz.py --target bundle_bodies --minutes 5
    .venv/bin/python bench/fuzz.py --list

Each input must either succeed or be refused with a clear error (exit 1/2), leaving the store unchanged. A
crash is recorded (not raised) so the campaign goes on; the summary prints inputs and crashes per target and
the distinct crash signatures, with one example input each written to ``--out`` (default: a temp folder).
Not a test. Record the figures in docs/performance.md.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


from hypothesis import HealthCheck, given, settings
from tests.fuzz import targets
from tests.fuzz.world import Crash, World, build_world

from gradesec.journal import keyfile


def signature(message: str) -> str:
    """A crash's kind without the parts that vary (paths, numbers, hashes)."""
    first = message.splitlines()[0] if message else ""
    first = re.sub(r"/[^\s:'\"]+", "<path>", first)
    first = re.sub(r"[0-9a-f]{16,}", "<hex>", first)
    return re.sub(r"\d+", "<n>", first)[:200]


def campaign(world: World, name: str, run: Callable[[World, Any], None], strategy: Any, seconds: float,
             out: Path, tally: dict[str, Any]) -> None:  # fmt: skip
    deadline = time.monotonic() + seconds
    counts = tally.setdefault(name, {"inputs": 0, "crashes": 0, "kinds": collections.Counter()})

    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=strategy)
    def one(data: Any) -> None:
        if time.monotonic() > deadline:
            return
        counts["inputs"] += 1
        try:
            run(world, data)
        except Crash as crash:
            counts["crashes"] += 1
            sig = signature(str(crash))
            if counts["kinds"][sig] == 0:
                (out / f"{name}-{len(counts['kinds'])}.txt").write_text(f"{crash}\n\n{data!r}\n"[:100_000])
            counts["kinds"][sig] += 1

    while time.monotonic() < deadline:  # batches of 25 inputs, each batch from a fresh random seed
        one()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--target", action="append", help="run only these targets (repeatable)")
    parser.add_argument("--out", type=Path, default=None, help="folder for one example input per crash kind")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")  # hypothesis warns about the size of the inputs' repr
    if args.list:
        for name in targets.TARGETS:
            print(name)
        return
    chosen = args.target or list(targets.TARGETS)
    out = args.out or Path(tempfile.mkdtemp(prefix="gradesec-fuzz-"))
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("GRADESEC_LANG", "en")
    root = Path(tempfile.mkdtemp(prefix="gradesec-fuzz-world-"))
    for var, sub in (("GRADESEC_CONFIG", "config"), ("GRADESEC_CACHE", "cache"), ("GRADESEC_STORE", "store")):
        os.environ[var] = str(root / sub)
    tally: dict[str, Any] = {}
    with keyfile.use_test_kdf():  # the fuzz keys unlock fast; the KDF is not what is fuzzed here
        world = build_world(root / "world")
        per_target = args.minutes * 60 / len(chosen)
        rounds = max(1, int(per_target // 60))  # interleave targets in slices of about a minute
        for _ in range(rounds):
            for name in chosen:
                strategy, run = targets.TARGETS[name]
                campaign(world, name, run, strategy(world), per_target / rounds, out, tally)
    total_inputs = sum(c["inputs"] for c in tally.values())
    total_crashes = sum(c["crashes"] for c in tally.values())
    print(f"{'target':<22} {'inputs':>8} {'crashes':>8} {'kinds':>6}")
    for name, c in tally.items():
        print(f"{name:<22} {c['inputs']:>8} {c['crashes']:>8} {len(c['kinds']):>6}")
    print(f"{'total':<22} {total_inputs:>8} {total_crashes:>8}")
    for name, c in tally.items():
        for sig, n in c["kinds"].most_common():
            print(f"  {name}: {n} × {sig}")
    print(f"examples of each crash kind: {out}")


if __name__ == "__main__":
    main()
