"""The assessor's judgements after the single-item results: 整体测评 corrections and 重大风险隐患.

- A ``Correction`` records the result an item (or an item on one asset) has after 整体测评 (overall
  assessment: compensation between control points, areas and layers). The original finding stays as it was;
  the 2021 and 2025 policies score the corrected result.
- A ``MajorRiskJudgement`` records whether one issue, or a group of issues taken together, is a 重大风险隐患
  (2025 template), with the reason and the trigger of the reference list it rests on. A high-risk issue is
  not one by itself: only a judgement makes it one. ``remediated`` is filled in when read, from the
  remediation items of its issues (all verified).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

WHOLE_ITEM = ""  # the asset of a correction that applies to the item as a whole


@dataclass(frozen=True)
class Correction:
    inspection_id: str
    item_id: str
    asset_id: str  # WHOLE_ITEM: the item's result over all its objects
    result: str
    reason: str
    original: str | None = None  # the current finding's result when the correction was made (pair only)
    author: str = ""
    at: str = ""
    event_hash: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.item_id, self.asset_id)

    def as_json(self) -> dict[str, Any]:
        return {
            "item": self.item_id,
            "asset": self.asset_id or None,
            "result": self.result,
            "original": self.original,
            "reason": self.reason,
            "author": self.author,
            "at": self.at,
        }


@dataclass(frozen=True)
class MajorRiskJudgement:
    id: str
    inspection_id: str
    issues: tuple[tuple[str, str], ...]  # (item, asset) pairs, sorted
    major: bool
    reason: str
    trigger: str = ""
    author: str = ""
    at: str = ""
    event_hash: str = ""
    remediated: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "issues": [{"item": i, "asset": a} for i, a in self.issues],
            "major": self.major,
            "reason": self.reason,
            "trigger": self.trigger or None,
            "remediated": self.remediated,
            "author": self.author,
            "at": self.at,
        }


def judgement_id(inspection_id: str, issues: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> str:
    """A stable id for the judgement of one group of issues: judging the same group again replaces it."""
    text = inspection_id + "\n" + "\n".join(f"{i}/{a}" for i, a in sorted(set(issues)))
    return "MR-" + hashlib.sha256(text.encode()).hexdigest()[:8]
