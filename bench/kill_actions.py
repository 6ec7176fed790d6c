"""kill -9 during multi-step actions, many trials: closings (events + checkpoint in one transaction) and bundle
imports (with evidence). Every trial checks: the store verifies, nothing half-done, no temporary files left.

    .venv/bin/python bench/kill_actions.py              # 300 trials (150 closings, 150 imports)
    .venv/bin/python bench/kill_actions.py --trials 40

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

from tests.journal.test_kill_actions import run_close_trials, run_import_trials  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=300)
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
    print(f"closings: {half} kills in {t1 - t0:.0f} s, {closings} closings reported committed, all whole")
    print(
        f"imports: {args.trials - half} kills in {t2 - t1:.0f} s, {imports} imports reported done, all whole"
    )
    print("every trial: store verified, nothing half-done, no temporary files left")


if __name__ == "__main__":
    main()
