"""The inspection workspace as data: item statuses, filters, navigation and the live score.

Headless (no Textual): the workspace screen keeps one ``WorkspaceModel`` and asks it what to show. Recording a
result updates it in O(1) (a dictionary entry, one tally cell, the item's status), and rescoring walks the
applicable items once, never the results, so the screen stays fast with many assets.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from gradesec.assess.model import Asset, Disagreement, Finding, Inspection, Issue, SnapshotItem
from gradesec.textwidth import distinct

if TYPE_CHECKING:
    from gradesec.assess.scoring import ScoreResult
    from gradesec.catalog.loader import Catalog, ResolvedItem
    from gradesec.usecases.inspections import LiveScore
    from gradesec.usecases.views import InspectionView

Filter = Literal["all", "unanswered", "issues", "high"]
FILTERS: tuple[Filter, ...] = ("all", "unanswered", "issues", "high")
# Worst first: what a status mark shows when an item has several results.
SEVERITY: dict[str, int] = {"noncompliant": 4, "partial": 3, "compliant": 2, "na": 1}


@dataclass(frozen=True)
class ItemStatus:
    done: int  # assets with a current result
    total: int  # assets the item applies to
    worst: str | None  # the worst current result, None when nothing is recorded
    high: bool  # an issue on this item is (or is suggested) high risk
    disputed: bool = False  # two inspectors' latest results differ on one of its assets, no ruling yet

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total

    @property
    def issue(self) -> bool:
        return self.worst in ("partial", "noncompliant")


@dataclass
class Query:
    """What the user asked to see."""

    mode: Filter = "all"
    asset_id: str | None = None
    text: str = ""


class WorkspaceModel:
    """One inspection as the workspace shows it; ``live`` keeps the score current as results come in."""

    def __init__(
        self,
        view: InspectionView,
        live: LiveScore,
        catalog: Catalog | None = None,
        names: dict[str, str] | None = None,
    ) -> None:
        self.view = view
        self.live = live
        self.catalog = catalog
        self.inspection: Inspection = view.inspection
        self.assets: list[Asset] = list(view.assets)
        self.findings: dict[tuple[str, str], Finding] = dict(view.findings)
        self.resolved: dict[str, ResolvedItem] = dict(view.resolved)
        self.items: tuple[SnapshotItem, ...] = tuple(sorted(view.items, key=lambda i: i.order))
        self.item_by_id = {item.id: item for item in self.items}
        self.asset_by_id = {asset.id: asset for asset in self.assets}
        self.applies: dict[str, list[str]] = {
            item.id: [a.id for a in self.assets if a.kind in item.objects] for item in self.items
        }
        self.disputes: dict[tuple[str, str], Disagreement] = {
            (d.item_id, d.asset_id): d for d in view.disagreements
        }
        self.names: dict[str, str] = dict(names or {})  # key id -> the name its holder declared
        self._status: dict[tuple[str, str | None], ItemStatus] = {}
        self._search_cache: dict[str, str] = {}
        self._labels: dict[int, dict[str, str]] = {}  # columns -> asset id -> its name cut to them

    @property
    def issues(self) -> dict[tuple[str, str], Issue]:
        return self.live.issues

    @property
    def is_open(self) -> bool:
        return self.inspection.is_open

    # Per-item status

    def status(self, item_id: str, asset_id: str | None = None) -> ItemStatus:
        key = (item_id, asset_id)
        cached = self._status.get(key)
        if cached is not None:
            return cached
        assets = self.applies.get(item_id, [])
        if asset_id is not None:
            assets = [a for a in assets if a == asset_id]
        done = 0
        worst: str | None = None
        high = disputed = False
        for aid in assets:
            disputed = disputed or (item_id, aid) in self.disputes
            finding = self.findings.get((item_id, aid))
            if finding is None:
                continue
            done += 1
            if worst is None or SEVERITY[finding.result] > SEVERITY[worst]:
                worst = finding.result
            issue = self.issues.get((item_id, aid))
            if issue is not None and issue.effective == "high":
                high = True
        status = ItemStatus(done, len(assets), worst, high, disputed)
        self._status[key] = status
        return status

    def counts(self, item_ids: Iterable[str], asset_id: str | None = None) -> tuple[int, int]:
        done = total = 0
        for item_id in item_ids:
            st = self.status(item_id, asset_id)
            done += st.done
            total += st.total
        return done, total

    # Filtering

    def matches(self, item_id: str, query: Query, lang: str) -> bool:
        if query.asset_id is not None and query.asset_id not in self.applies.get(item_id, ()):
            return False
        st = self.status(item_id, query.asset_id)
        if query.mode == "unanswered" and (st.total == 0 or st.complete):
            return False
        if query.mode == "issues" and not st.issue:
            return False
        if query.mode == "high" and not st.high:
            return False
        needle = query.text.strip().lower()
        return not needle or needle in self._haystack(item_id, lang)

    def _haystack(self, item_id: str, lang: str) -> str:
        key = f"{lang}:{item_id}"
        text = self._search_cache.get(key)
        if text is None:
            parts = [item_id]
            ri = self.resolved.get(item_id)
            if ri is not None:
                parts += [
                    ri.text.get(lang),
                    ri.control.name.get(lang),
                    ri.category.name.get(lang),
                    ri.unit_id or "",
                ]
                parts += [ri.text.get("zh" if lang == "en" else "en")]
            text = self._search_cache[key] = " ".join(parts).lower()
        return text

    def visible(self, query: Query, lang: str) -> list[SnapshotItem]:
        return [item for item in self.items if self.matches(item.id, query, lang)]

    # Navigation

    def next_unanswered(
        self,
        item_id: str | None,
        asset_id: str | None,
        order: Sequence[str],
        only_asset: str | None = None,
        *,
        include_current: bool = False,
    ) -> tuple[str, str] | None:
        """The next (item, asset) without a result, in ``order``, wrapping around.

        From the given pair: the item's later assets, then its earlier ones (an item is finished before the
        next one), then the following items; the given pair itself only last, or first with
        ``include_current``.
        """
        if not order:
            return None
        start = order.index(item_id) if item_id in order else 0
        first = order[start]

        def assets_of(iid: str) -> list[str]:
            assets = self.applies.get(iid, [])
            return [a for a in assets if a == only_asset] if only_asset is not None else list(assets)

        candidates: list[tuple[str, str]] = []
        here = assets_of(first)
        if item_id == first and asset_id in here:
            at = here.index(asset_id)
            current = [(first, asset_id)]
            others = [(first, a) for a in here[at + 1 :] + here[:at]]
            candidates += current + others if include_current else others
            tail = [] if include_current else current
        else:
            candidates += [(first, a) for a in here]
            tail = []
        for iid in [*order[start + 1 :], *order[:start]]:
            candidates += [(iid, a) for a in assets_of(iid)]
        for pair in [*candidates, *tail]:
            if pair not in self.findings:
                return pair
        return None

    def next_unrated(
        self, item_id: str | None, asset_id: str | None, order: Sequence[str]
    ) -> tuple[str, str] | None:
        """The next issue (partial or non-compliant result) without a risk rating after the given pair, in
        ``order`` of items and then of the item's assets, wrapping around."""
        pairs = [
            (iid, aid)
            for iid in order
            for aid in self.applies.get(iid, [])
            if (issue := self.issues.get((iid, aid))) is not None and issue.risk is None
        ]
        if not pairs:
            return None
        if item_id is None or asset_id is None:
            return pairs[0]
        position = {iid: n for n, iid in enumerate(order)}
        assets = self.applies.get(item_id, [])
        here = (position.get(item_id, -1), assets.index(asset_id) if asset_id in assets else -1)
        for iid, aid in pairs:
            if (position[iid], self.applies[iid].index(aid)) > here:
                return iid, aid
        return pairs[0]

    # Updates (the use case has already stored them)

    def put_finding(self, finding: Finding) -> None:
        self.findings[(finding.item_id, finding.asset_id)] = finding
        self.live.record(finding.item_id, finding.asset_id, finding.result)
        self._forget(finding.item_id)

    def drop_finding(self, item_id: str, asset_id: str) -> None:
        """A retraction was stored: the pair is untested again (and no longer disputed)."""
        self.findings.pop((item_id, asset_id), None)
        self.live.forget(item_id, asset_id)
        if self.disputes.pop((item_id, asset_id), None) is not None:
            self.live.unresolved = max(0, self.live.unresolved - 1)
        self._forget(item_id)

    def put_issue(self, issue: Issue) -> None:
        self.live.issues[(issue.item_id, issue.asset_id)] = issue
        self._forget(issue.item_id)

    def put_ruling(self, finding: Finding) -> None:
        """A reviewer's ruling: it becomes the current result and the disagreement is settled."""
        if self.disputes.pop((finding.item_id, finding.asset_id), None) is not None:
            self.live.unresolved = max(0, self.live.unresolved - 1)
        self.put_finding(finding)

    def author_name(self, key_id: str) -> str:
        return self.names.get(key_id) or key_id[:8]

    def _forget(self, item_id: str) -> None:
        for key in [k for k in self._status if k[0] == item_id]:
            del self._status[key]

    # Score

    @property
    def policy_id(self) -> str:
        return self.live.policy.id

    def policy_ids(self) -> list[str]:
        return list(self.inspection.policies)

    def set_policy(self, policy_id: str) -> None:
        self.live.policy = self.inspection.policies[policy_id]

    def score(self) -> ScoreResult:
        return self.live.result()

    # Assets, as the tree and the grid name them

    def asset_labels(self, cols: int) -> dict[str, str]:
        """Each asset's name cut to ``cols`` columns, no two alike: cut in the middle when the ends differ
        ("Portal w…web-01"), and the address (else the id) added to names that are the same."""
        cached = self._labels.get(cols)
        if cached is not None:
            return cached
        names = [a.name for a in self.assets]
        twice = {name for name in names if names.count(name) > 1}
        full = [f"{a.name} {a.address or a.id}" if a.name in twice else a.name for a in self.assets]
        labels = dict(zip((a.id for a in self.assets), distinct(full, cols), strict=True))
        self._labels[cols] = labels
        return labels

    def asset_progress(self, asset_id: str) -> tuple[int, int]:
        """Results recorded on ``asset_id`` and the items it is assessed on."""
        return self.counts(self.item_by_id, asset_id)
