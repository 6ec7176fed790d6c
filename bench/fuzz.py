"""Long fuzz campaigns over the parsers the command line reaches (the targets of tests/fuzz, many more inputs).

    .venv/bin/python bench/fuzz.py --minutes 20                 # every target, time shared
    .venv/bin/python bench/fuzz.py --target bundle_bodies --minutes 5
    .venv/bin/python bench/fuzz.py --list
    nice -n 19 .venv/bin/python bench/fuzz.py --direct --minutes 120 --workers 1   # the parsers in-process

``--direct`` runs the targets of ``tests/fuzz/direct.py``: the same parsers called in-process with seeded
byte and structure mutations (hundreds to thousands of inputs a second) instead of through the command line
against a fresh store copy per input (a few a second). Store-reading direct targets share one store copy,
compared with its starting digest every ``CHECK_EVERY`` inputs and at the end of every slice.

Each input must either succeed or be refused with a clear error (exit 1/2), leaving the store unchanged. A
crash is recorded (not raised) so the campaign goes on; the summary prints inputs and crashes per target and
the distinct crash signatures, with one example input each written to ``--out`` (default: a temp folder).
Not a test. Record the figures in docs/performance.md.
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing
import os
import random
import re
import shutil
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
from tests.fuzz import direct, targets
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


CHECK_EVERY = 1000


def direct_campaign(d: direct.Direct, name: str, rng: random.Random, seconds: float, out: Path,
                    tally: dict[str, Any]) -> None:  # fmt: skip
    deadline = time.monotonic() + seconds
    counts = tally.setdefault(name, {"inputs": 0, "crashes": 0, "changed": 0, "kinds": collections.Counter()})
    reads_store = direct.DIRECT[name][1]
    while time.monotonic() < deadline:
        for _ in range(50):
            state = rng.getstate()
            crash = direct.run_one(d, name, rng)
            counts["inputs"] += 1
            if crash is not None:
                counts["crashes"] += 1
                sig = signature(crash)
                if counts["kinds"][sig] == 0:  # the seed state reproduces the input
                    (out / f"{name}-{len(counts['kinds'])}.txt").write_text(f"{crash}\n\n{state!r}\n")
                counts["kinds"][sig] += 1
            if reads_store and counts["inputs"] % CHECK_EVERY == 0 and d.store_changed():
                counts["changed"] += 1
    if reads_store and d.store_changed():
        counts["changed"] += 1


def run_direct(seed: int, minutes: float, chosen: list[str], out: Path) -> dict[str, Any]:
    """One worker's direct campaign (its own world, store copy and seed)."""
    os.environ.setdefault("GRADESEC_LANG", "en")
    root = Path(tempfile.mkdtemp(prefix=f"gradesec-fuzz-w{seed}-"))
    for var, sub in (("GRADESEC_CONFIG", "config"), ("GRADESEC_CACHE", "cache"), ("GRADESEC_STORE", "store")):
        os.environ[var] = str(root / sub)
    tally: dict[str, Any] = {}
    rng = random.Random(seed)
    with keyfile.use_test_kdf():
        world = build_world(root / "world")
        d = direct.Direct.build(world)
        try:
            per_target = minutes * 60 / len(chosen)
            rounds = max(1, int(per_target // 30))  # slices of about half a minute
            for r in range(rounds):
                for name in chosen:
                    direct_campaign(d, name, rng, per_target / rounds, out, tally)
                total = sum(c["inputs"] for c in tally.values())
                crashes = sum(c["crashes"] for c in tally.values())
                changed = sum(c["changed"] for c in tally.values())
                print(
                    f"  … worker {seed} round {r + 1}/{rounds}: {total} inputs, {crashes} crashes,"
                    f" {changed} store changes",
                    flush=True,
                )
        finally:
            d.close()
            shutil.rmtree(root, ignore_errors=True)
    return tally


def merge(tallies: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for tally in tallies:
        for name, c in tally.items():
            m = out.setdefault(
                name, {"inputs": 0, "crashes": 0, "changed": 0, "kinds": collections.Counter()}
            )
            for k in ("inputs", "crashes", "changed"):
                m[k] += c.get(k, 0)
            m["kinds"].update(c["kinds"])
    return out


def summary(tally: dict[str, Any], out: Path, seconds: float) -> None:
    total_inputs = sum(c["inputs"] for c in tally.values())
    total_crashes = sum(c["crashes"] for c in tally.values())
    total_changed = sum(c.get("changed", 0) for c in tally.values())
    print(f"{'target':<22} {'inputs':>9} {'crashes':>8} {'kinds':>6} {'changed':>8}")
    for name, c in tally.items():
        print(f"{name:<22} {c['inputs']:>9} {c['crashes']:>8} {len(c['kinds']):>6} {c.get('changed', 0):>8}")
    print(f"{'total':<22} {total_inputs:>9} {total_crashes:>8} {'':>6} {total_changed:>8}")
    print(f"{total_inputs / max(seconds, 1e-9):.0f} inputs/s over {seconds / 60:.1f} min")
    for name, c in tally.items():
        for sig, n in c["kinds"].most_common():
            print(f"  {name}: {n} × {sig}")
    print(f"examples of each crash kind: {out}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--target", action="append", help="run only these targets (repeatable)")
    parser.add_argument("--out", type=Path, default=None, help="folder for one example input per crash kind")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--direct", action="store_true", help="the parsers in-process (tests/fuzz/direct.py)")
    parser.add_argument("--workers", type=int, default=1, help="processes for --direct (one each seed)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")  # hypothesis warns about the size of the inputs' repr
    if args.list:
        for name in targets.TARGETS:
            print(name)
        for name in direct.DIRECT:
            print(f"{name} (--direct)")
        return
    out = args.out or Path(tempfile.mkdtemp(prefix="gradesec-fuzz-"))
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    if args.direct:
        chosen = args.target or list(direct.DIRECT)
        jobs = [(args.seed + w, args.minutes, chosen, out) for w in range(max(1, args.workers))]
        if len(jobs) == 1:
            tallies = [run_direct(*jobs[0])]
        else:
            with multiprocessing.get_context("spawn").Pool(len(jobs)) as pool:
                tallies = pool.starmap(run_direct, jobs)
        summary(merge(tallies), out, time.monotonic() - started)
        return
    chosen = args.target or list(targets.TARGETS)
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
                c = tally[name]
                print(f"  … {name}: {c['inputs']} inputs, {c['crashes']} crashes so far", flush=True)
    summary(tally, out, time.monotonic() - started)


if __name__ == "__main__":
    main()
