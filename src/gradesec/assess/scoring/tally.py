"""The incremental half of scoring: current results aggregated per item (and per asset importance)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from gradesec.assess.model import IMPORTANCE, SnapshotItem, importance_of

# Result codes, in the order of the per-item counts.
COMPLIANT, PARTIAL, NONCOMPLIANT, NA = 0, 1, 2, 3
CODES: dict[str, int] = {"compliant": COMPLIANT, "partial": PARTIAL, "noncompliant": NONCOMPLIANT, "na": NA}
NAMES: tuple[str, ...] = ("compliant", "partial", "noncompliant", "na")
HALF_POINTS = (2, 1, 0, 0)  # compliant, partial, non-compliant, (na: not scored)
GENERAL = IMPORTANCE.index("general")


class Tally:
    """Current results of an inspection aggregated per item; the incremental half of scoring.

    ``set`` adds a result or replaces the one held for the same (item, asset); ``remove`` drops it. Results
    for items outside the snapshot are counted in ``ignored`` and otherwise left out. Besides the plain counts
    it keeps a count per asset importance class (key, important, general: ``importance`` maps an asset id to
    its text, unknown or missing assets count as general), which the 2021 policy weights objects by.
    """

    __slots__ = (
        "_index",
        "by_class",
        "counts",
        "current",
        "half",
        "ignored",
        "importance",
        "items",
        "scored",
    )

    def __init__(self, items: Sequence[SnapshotItem], importance: Mapping[str, str] | None = None) -> None:
        self.items: tuple[SnapshotItem, ...] = tuple(items)
        self._index: dict[str, int] = {item.id: i for i, item in enumerate(self.items)}
        self.importance: dict[str, int] = {
            asset: IMPORTANCE.index(importance_of(text)) for asset, text in (importance or {}).items()
        }
        n = len(self.items)
        self.scored: list[int] = [0] * n
        self.half: list[int] = [0] * n
        self.counts: list[list[int]] = [[0, 0, 0, 0] for _ in range(n)]
        # by_class[i][importance][code]: the item's results by the importance of their asset
        self.by_class: list[list[list[int]]] = [[[0, 0, 0, 0] for _ in IMPORTANCE] for _ in range(n)]
        self.current: dict[tuple[str, str], int] = {}
        self.ignored = 0

    @classmethod
    def from_results(
        cls,
        items: Sequence[SnapshotItem],
        results: Iterable[tuple[str, str, str]],
        importance: Mapping[str, str] | None = None,
    ) -> Tally:
        """A tally of ``(item id, asset id, result)`` triples; a later triple for the same pair replaces one."""
        tally = cls(items, importance)
        for item_id, asset_id, value in results:
            tally.set(item_id, asset_id, value)
        return tally

    def class_of(self, asset_id: str) -> int:
        return self.importance.get(asset_id, GENERAL)

    def _add(self, i: int, asset_id: str, code: int, sign: int) -> None:
        self.counts[i][code] += sign
        self.by_class[i][self.class_of(asset_id)][code] += sign
        if code != NA:
            self.scored[i] += sign
            self.half[i] += sign * HALF_POINTS[code]

    def set(self, item_id: str, asset_id: str, value: str) -> None:
        i = self._index.get(item_id)
        if i is None:
            self.ignored += 1
            return
        code = CODES[value]
        key = (item_id, asset_id)
        old = self.current.get(key)
        if old is not None:
            self._add(i, asset_id, old, -1)
        self.current[key] = code
        self._add(i, asset_id, code, 1)

    def remove(self, item_id: str, asset_id: str) -> None:
        i = self._index.get(item_id)
        old = self.current.pop((item_id, asset_id), None)
        if i is not None and old is not None:
            self._add(i, asset_id, old, -1)

    def index(self, item_id: str) -> int | None:
        return self._index.get(item_id)

    def mean(self, item_id: str) -> float | None:
        """The item's mean score over its scored results (None when it has none)."""
        i = self._index[item_id]
        n = self.scored[i]
        return self.half[i] / (2 * n) if n else None

    def result_counts(self) -> dict[str, int]:
        totals = [0, 0, 0, 0]
        for row in self.counts:
            for k in range(4):
                totals[k] += row[k]
        return dict(zip(NAMES, totals, strict=True))
