"""An inspection's score and conclusion at the hub, with the same ``gradesec.assess`` scoring a store uses.

Inputs: the item and policy snapshot pinned in the ``inspection.opened`` event (its body, decoded once per
batch by the projector), the hub's current results (``findings``) and ratings (``problems``), and the
high-risk cases pinned with it for the suggested risk of an unrated issue.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from gradesec.assess.model import ISSUE_RESULTS, PolicySnapshot, SnapshotItem
from gradesec.assess.risk import CaseRule, index_cases, suggest
from gradesec.assess.scoring import IssueRisk, score_results


@dataclass(frozen=True)
class Pinned:
    """What an ``inspection.opened`` event pins for scoring, parsed."""

    items: list[SnapshotItem]
    policies: dict[str, PolicySnapshot]
    cases: Any  # gradesec.assess.risk.index_cases(...)


def pinned(body: Mapping[str, Any]) -> Pinned:
    items = [
        SnapshotItem(
            i["id"],
            i["category"],
            i["class"],
            i["control"],
            float(i["weight"]),
            tuple(i["objects"]),
            int(i.get("order", n)),
        )
        for n, i in enumerate(body.get("items", []))
    ]
    policies = {
        p["id"]: PolicySnapshot(
            p["id"], p["method"], dict(p.get("params", {})), p.get("sha256", ""), p.get("title", {})
        )
        for p in body.get("policies", [])
    }
    cases = index_cases(CaseRule.from_json(c) for c in body.get("cases", []) or [])
    return Pinned(items, policies, cases)


def inspection_score(
    snapshot: Pinned | None,
    level: int,
    policy_id: str,
    results: Iterable[tuple[str, str, str]],
    ratings: Mapping[tuple[str, str], tuple[str, bool]],
) -> tuple[float | None, str]:
    """(score, conclusion code) of results ``(item, asset, result)`` rated ``(item, asset) -> (risk, major)``."""
    policy = None if snapshot is None else snapshot.policies.get(policy_id)
    if snapshot is None or policy is None:
        return None, "undetermined"
    ordered = sorted(results)
    issues = []
    for item, asset, result in ordered:
        if result not in ISSUE_RESULTS:
            continue
        rated = ratings.get((item, asset))
        risk = rated[0] if rated else suggest(snapshot.cases, level, item, result).risk
        issues.append(IssueRisk(risk, rated[1] if rated else False))
    got = score_results(snapshot.items, ordered, policy, issues)
    return got.score, got.conclusion.code
