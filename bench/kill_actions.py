"""kill -9 during multi-step actions, many trials: closings (events + checkpoint in one transaction), record-many
batches (``record_findings``: results with new evidence files, one transaction), bundle imports (with
evidence) and re-test rounds (reopen, findings with a new evidence file, item transitions, the round, close
and checkpoint: one ``Store.transaction()``). Every trial checks: the store verifies, nothing half-done, every
action a child reported done is there, no temporary files left once the store is opened again.

    .venv/bin/python bench/kill_actions.py                       # 300 trials (100 of each) and 100 re-tests
    .venv/bin/python bench/kill_actions.py --trials 60 --retests 20

Not a test: prints the figures for docs/performance.md (an assertion failing here is a real defect).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gradesec.state import STATE_MODULES

STATE_MODULES.append("tests.journal.notes_state")

from tests.journal.test_kill_actions import (  # noqa: E402
    run_close_trials,
    run_import_trials,
    run_record_trials,
    run_retest_trials,
)


def _runs(base: Path, tag: str, trials: int, per_store: int, run: Callable[[Path, int], object]) -> float:
    t0 = time.perf_counter()
    for i in range(0, trials, per_store):  # a fresh store every few trials keeps each verify short
        (base / f"{tag}{i}").mkdir()
        run(base / f"{tag}{i}", min(per_store, trials - i))
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=300, help="closings + record-many batches + imports")
    parser.add_argument("--retests", type=int, default=100)
    args = parser.parse_args()
    third = args.trials // 3
    rng = random.Random(16)
    closings = imports = 0
    batches = [0, 0, 0]  # reported, in the stores, kills that left a staged blob
    rounds = [0, 0, 0, 0]  # reported, in the stores, blobs named by no event, kills that left a staged blob

    def close(root: Path, n: int) -> None:
        nonlocal closings
        closings += run_close_trials(root, n, rng)

    def record(root: Path, n: int) -> None:
        for k, v in enumerate(run_record_trials(root, n, rng)):
            batches[k] += v

    def bundle(root: Path, n: int) -> None:
        nonlocal imports
        imports += run_import_trials(root, n, rng)

    def retest(root: Path, n: int) -> None:
        for k, v in enumerate(run_retest_trials(root, n, rng)):
            rounds[k] += v

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        t_close = _runs(base, "c", third, 25, close)
        t_record = _runs(base, "m", third, 50, record)
        t_import = _runs(base, "i", args.trials - 2 * third, 25, bundle)
        t_retest = _runs(base, "r", args.retests, 50, retest)
    print(f"closings: {third} kills in {t_close:.0f} s, {closings} closings reported committed, all whole")
    print(
        f"record-many: {third} kills in {t_record:.0f} s, {batches[0]} batches reported done, {batches[1]} in the"
        f" stores, all whole (every result, every blob); {batches[2]} kills left a staged blob (swept on open)"
    )
    print(
        f"imports: {args.trials - 2 * third} kills in {t_import:.0f} s, {imports} imports reported done, all whole"
    )
    print(
        f"re-tests: {args.retests} kills in {t_retest:.0f} s, {rounds[0]} rounds reported done, {rounds[1]} rounds"
        f" in the stores, all whole; {rounds[3]} kills left a staged blob (swept on open), {rounds[2]} blob(s)"
        " named by no event"
    )
    print("every trial: store verified, nothing half-done, no temporary files left")


if __name__ == "__main__":
    main()
