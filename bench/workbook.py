"""Record-workbook import benchmark: a field-layout workbook of about 1,000 item rows, imported into a fresh
level-3 inspection, against openpyxl reading the same file (read-only, values only) in the same run.

    .venv/bin/python bench/workbook.py              # 6 copies of the four object sheets: 1,065 rows
    .venv/bin/python bench/workbook.py --copies 12  # about 1,950 rows

Three figures, each as wall time and as this process's CPU time: openpyxl's bare read; the mapping (``--check``:
read + map, nothing written); the whole import (read, map, create the 24 assets, sign and record every result in
one transaction, learn the aliases). gradesec reads the cells itself (``report/workbook/xlsxread.py``), so its
read is cheaper than openpyxl's. Not a test: nothing here asserts timings. Record the figures in docs/performance.md and docs/reports.md.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from tests.report.fieldbooks import build

from gradesec import report
from gradesec.catalog.loader import load_catalog
from gradesec.journal import FrozenClock, Signer
from gradesec.usecases import inspections as uc
from gradesec.usecases.context import open_context

SIGNER = Signer.from_seed(hashlib.sha256(b"bench workbook").digest(), "Bench", "inspector", "Bench")


def bare_read(path: Path) -> int:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    n = 0
    for ws in wb.worksheets:
        for _row in ws.iter_rows(values_only=True):
            n += 1
    wb.close()
    return n


def fresh_inspection(root: Path, catalog: object) -> tuple[object, str]:
    counter = itertools.count(1)
    ctx = open_context(
        root,
        signer=SIGNER,
        create=True,
        catalog=catalog,  # type: ignore[arg-type]
        clock=FrozenClock("2026-11-24T01:30:00.000Z"),
        new_id=lambda prefix: f"{prefix}-{next(counter):05d}",
    )
    unit = uc.add_unit(ctx, "Bench unit")
    system = uc.add_system(ctx, unit.id, "Bench system", level=3)
    return ctx, uc.new_inspection(ctx, system.id, "mlps-l3", category_objects=True).id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=6)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "book.xlsx"
        rows = len(build(catalog, 3, path, copies=args.copies))
        # Wall time and this process's CPU time: on a shared machine the CPU figures are the steadier ones.
        reads: list[tuple[float, float]] = []
        checks: list[tuple[float, float]] = []
        imports: list[tuple[float, float]] = []

        def now() -> tuple[float, float]:
            return time.perf_counter(), time.process_time()

        def since(t0: tuple[float, float]) -> tuple[float, float]:
            t1 = now()
            return t1[0] - t0[0], t1[1] - t0[1]

        for run in range(args.runs):
            t0 = now()
            bare_read(path)
            reads.append(since(t0))
            ctx, insp = fresh_inspection(Path(tmp) / f"s{run}", catalog)
            t0 = now()
            report.import_workbook(ctx, insp, path, check=True)  # type: ignore[arg-type]
            checks.append(since(t0))
            t0 = now()
            done = report.import_workbook(ctx, insp, path, create_assets=True)  # type: ignore[arg-type]
            imports.append(since(t0))
            assert done.recorded == rows, (done.recorded, rows)
            ctx.close()  # type: ignore[attr-defined]
        print(f"rows (general items):            {rows}")
        for n, clock in enumerate(("wall", "cpu")):
            read, check, full = (statistics.median(x[n] for x in xs) for xs in (reads, checks, imports))
            print(f"[{clock}] openpyxl read, values only:      {read * 1000:8.1f} ms")
            print(
                f"[{clock}] map (--check, nothing written):  {check * 1000:8.1f} ms = {check / read:.2f}x the read"
            )
            print(
                f"[{clock}] import (assets + signed results):{full * 1000:8.1f} ms = {full / read:.2f}x the read"
            )


if __name__ == "__main__":
    main()
