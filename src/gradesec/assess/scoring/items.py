"""Per-item scores as a policy sees them: plain or weighted by object importance, before or after 整体测评.

``ItemScores`` reads a ``Tally`` and, for the policies that use them, the corrections: a correction of an
item on one asset replaces that pair's result; a correction of the whole item replaces every result of the
item (or stands for one result when the item had none). Corrections are few, so applying them costs
O(corrections) on top of the O(items) walk.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from gradesec.assess.judgements import WHOLE_ITEM, Correction
from gradesec.assess.model import IMPORTANCE
from gradesec.assess.scoring.tally import CODES, GENERAL, HALF_POINTS, NA, NAMES, Tally

Rows = list[list[int]]  # [importance class][result code] -> count


class ItemScores:
    """The results of each item, after the corrections given (none: the tally as it is)."""

    def __init__(self, tally: Tally, corrections: Sequence[Correction] = ()) -> None:
        self.tally = tally
        self._rows: dict[int, Rows] = {}
        self.applied: list[Correction] = []
        whole = [c for c in corrections if c.asset_id == WHOLE_ITEM]
        pairs = [c for c in corrections if c.asset_id != WHOLE_ITEM]
        for c in pairs:
            i = tally.index(c.item_id)
            if i is None or c.result not in CODES:
                continue
            rows = self._copy(i)
            cls = tally.class_of(c.asset_id)
            old = tally.current.get((c.item_id, c.asset_id))
            if old is not None:
                rows[cls][old] -= 1
            rows[cls][CODES[c.result]] += 1
            self.applied.append(c)
        for c in whole:  # after the pairs: the item as a whole has the last word
            i = tally.index(c.item_id)
            if i is None or c.result not in CODES:
                continue
            rows = self._copy(i)
            code = CODES[c.result]
            for cls_rows in rows:
                total = sum(cls_rows)
                cls_rows[:] = [0, 0, 0, 0]
                cls_rows[code] = total
            if not any(sum(r) for r in rows):
                rows[GENERAL][code] = 1
            self.applied.append(c)

    def _copy(self, i: int) -> Rows:
        rows = self._rows.get(i)
        if rows is None:
            rows = self._rows[i] = [list(r) for r in self.tally.by_class[i]]
        return rows

    def rows(self, i: int) -> Rows:
        return self._rows.get(i) or self.tally.by_class[i]

    def counts(self, i: int) -> list[int]:
        """Results of item ``i`` by code (compliant, partial, non-compliant, na)."""
        if i not in self._rows:
            return self.tally.counts[i]
        return [sum(r[k] for r in self._rows[i]) for k in range(4)]

    def scored(self, i: int) -> int:
        if i not in self._rows:
            return self.tally.scored[i]
        c = self.counts(i)
        return c[0] + c[1] + c[2]

    def mean(self, i: int) -> float | None:
        """The plain mean over the item's scored results (None when it has none)."""
        if i not in self._rows:
            n = self.tally.scored[i]
            return self.tally.half[i] / (2 * n) if n else None
        c = self.counts(i)
        n = c[0] + c[1] + c[2]
        return (c[0] * HALF_POINTS[0] + c[1] * HALF_POINTS[1]) / (2 * n) if n else None

    def weighted(self, i: int, object_weights: Mapping[str, float]) -> float | None:
        """The mean weighted by the importance of each result's object: Σ ω·s / Σ ω (None: nothing scored).

        When every scored object has weight 0 the plain mean is used.
        """
        num = 0.0
        den = 0.0
        for cls, row in enumerate(self.rows(i)):
            n = row[0] + row[1] + row[2]
            if not n:
                continue
            w = object_weights[IMPORTANCE[cls]]
            num += w * (row[0] * HALF_POINTS[0] + row[1] * HALF_POINTS[1]) / 2
            den += w * n
        if den > 0:
            return num / den
        return self.mean(i)

    def result_counts(self) -> dict[str, int]:
        """The results of all items after the corrections."""
        totals = list(self.tally.result_counts().values())
        for i in self._rows:
            before = self.tally.counts[i]
            after = self.counts(i)
            for k in range(4):
                totals[k] += after[k] - before[k]
        return dict(zip(NAMES, totals, strict=True))


__all__ = ["NA", "ItemScores"]
