"""Issue risk: the high-risk suggestion from the case catalog, and the rules for rating and downgrading.

A partial or non-compliant result is an issue. gradesec suggests *high* when a case of the high-risk guide
(高风险判定指引) matches the system's level, the item and the result; the inspector sets the risk and may
downgrade a suggested *high* only by naming the compensating measures and a reason, and only when every
matching case allows it (可降级).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from gradesec.assess.model import ISSUE_RESULTS, RISK_LEVELS, RISK_RANK, Risk
from gradesec.errors import GradesecError, UsageError
from gradesec.i18n import t


@dataclass(frozen=True)
class CaseRule:
    """The part of a high-risk case that decides whether it matches (pinned with the inspection)."""

    id: str
    levels: tuple[int, ...]
    items: tuple[str, ...]
    results: tuple[str, ...]
    downgradable: bool = True

    def matches(self, level: int, item_id: str, result: str) -> bool:
        return level in self.levels and item_id in self.items and result in self.results

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "levels": list(self.levels),
            "items": list(self.items),
            "results": list(self.results),
            "downgradable": self.downgradable,
        }

    @staticmethod
    def from_json(data: Mapping[str, object]) -> CaseRule:
        def strs(key: str) -> tuple[str, ...]:
            value = data.get(key, ())
            return tuple(str(v) for v in value) if isinstance(value, list | tuple) else ()

        levels = data.get("levels", ())
        return CaseRule(
            id=str(data["id"]),
            levels=tuple(int(v) for v in levels) if isinstance(levels, list | tuple) else (),
            items=strs("items"),
            results=strs("results"),
            downgradable=bool(data.get("downgradable", True)),
        )


@dataclass(frozen=True)
class Suggestion:
    risk: Risk | None
    cases: tuple[str, ...]
    downgradable: bool


def index_cases(cases: Iterable[CaseRule]) -> dict[str, list[CaseRule]]:
    """Cases by the items they hang on."""
    out: dict[str, list[CaseRule]] = {}
    for case in cases:
        for item_id in case.items:
            out.setdefault(item_id, []).append(case)
    return out


def suggest(by_item: Mapping[str, list[CaseRule]], level: int, item_id: str, result: str) -> Suggestion:
    """The suggested risk of a result (None when the result is not an issue or no case matches)."""
    if result not in ISSUE_RESULTS:
        return Suggestion(None, (), True)
    matched = [c for c in by_item.get(item_id, ()) if c.matches(level, item_id, result)]
    if not matched:
        return Suggestion(None, (), True)
    return Suggestion("high", tuple(sorted(c.id for c in matched)), all(c.downgradable for c in matched))


def check_rating(
    suggestion: Suggestion, risk: str, compensation: str | None, reason: str | None
) -> tuple[Risk, str, str]:
    """Validate an inspector's rating against the suggestion; returns (risk, compensation, reason).

    Raises ``UsageError`` for an unknown risk and ``GradesecError`` for a downgrade without compensating
    measures and a reason, or one that a matching case forbids.
    """
    if risk not in RISK_LEVELS:
        raise UsageError(t("assess.error.bad_risk", risk=risk), t("assess.error.bad_risk.hint"))
    comp = (compensation or "").strip()
    why = (reason or "").strip()
    chosen: Risk = risk  # type: ignore[assignment]
    if suggestion.risk is not None and RISK_RANK[chosen] < RISK_RANK[suggestion.risk]:
        if not suggestion.downgradable:
            raise GradesecError(
                t("assess.error.not_downgradable", cases=", ".join(suggestion.cases)),
                t("assess.error.not_downgradable.hint"),
            )
        if not comp or not why:
            raise GradesecError(
                t("assess.error.downgrade_needs_reason", cases=", ".join(suggestion.cases)),
                t("assess.error.downgrade_needs_reason.hint"),
            )
    return chosen, comp, why
