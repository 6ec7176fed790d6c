"""kill -9 during multi-step actions, many trials: closings (events + checkpoint in one transaction), bundle
imports (with evidence) and re-test rounds (reopen, findings with a new evidence file, item transitions, the
round, close and checkpoint: one ``Store.transaction()``). Every trial checks: the store verifies, nothing
half-done, every round a child reported done is there, no temporary files left.

    .venv/bin/python bench/kill_actions.py                          # 300 trials (150 + 150) and 100 re-tests
    .venv/bin/python bench/kill_actions.py --trials 40 --retests 20

Not a test: prints the figures for docs/performance.md (an assertion failing here is a real defect).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gradesec.state import STATE_MODULES

STATE_MODULES.append("tests.journal.notes_state")

from tests.journal.test_kill_actions import (  # noqa: E402
    run_close_trials,
    run_import_trials,
    run_retest_trials,
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=300, help="closings + imports")
    parser.add_argument("--retests", type=int, default=100)
    args = parser.parse_args()
    half = args.trials // 2
    rng = random.Random(16)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        t0 = time.perf_counter()
        closings = 0
        for i in range(0, half, 25):  # a fresh store every 25 trials keeps each verify short
            (base / f"c{i}").mkdir()
            closings += run_close_trials(base / f"c{i}", min(25, half - i), rng)
        t1 = time.perf_counter()
        imports = 0
        for i in range(0, args.trials - half, 25):
            (base / f"i{i}").mkdir()
            imports += run_import_trials(base / f"i{i}", min(25, args.trials - half - i), rng)
        t2 = time.perf_counter()
        retests = rounds = orphans = swept = 0
        for i in range(0, args.retests, 50):  # a fresh store every 50 trials
            (base / f"r{i}").mkdir()
            done, in_store, left, staged = run_retest_trials(base / f"r{i}", min(50, args.retests - i), rng)
            retests, rounds, orphans = retests + done, rounds + in_store, orphans + left
            swept += staged
        t3 = time.perf_counter()
    print(f"closings: {half} kills in {t1 - t0:.0f} s, {closings} closings reported committed, all whole")
    print(
        f"imports: {args.trials - half} kills in {t2 - t1:.0f} s, {imports} imports reported done, all whole"
    )
    print(
        f"re-tests: {args.retests} kills in {t3 - t2:.0f} s, {retests} rounds reported done, {rounds} rounds in"
        f" the stores, all whole; {swept} kills left a staged blob (swept on open), {orphans} blob(s) named by"
        " no event"
    )
    print("every trial: store verified, nothing half-done, no temporary files left")


if __name__ == "__main__":
    main()
