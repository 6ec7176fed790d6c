"""Issue risk: the high-risk suggestion from the case catalog, and the rules for rating and downgrading.

A partial or non-compliant result is an issue. gradesec suggests *high* when a case of the high-risk guide
(高风险判定指引) matches the system's level, the system's conditions (业务连续性要求高, 关键行业), the item and the
result. The inspector sets the risk; a suggested *high* may be lowered only by naming, for every matching case, a
mitigation that case allows (可能的缓解措施), no lower than that mitigation's ``down_to``, and with a reason.

Cases pinned by inspections opened before mitigations were modelled carry no mitigation list (``mitigations is
None``); for them the earlier rule holds: a downgradable case may be lowered with free-text compensating
measures and a reason.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from gradesec.assess.model import ISSUE_RESULTS, RISK_LEVELS, RISK_RANK, Risk
from gradesec.errors import GradesecError, UsageError
from gradesec.i18n import t


@dataclass(frozen=True)
class MitigationRule:
    """A mitigation a case allows: which of the case's situations it covers (empty: all), which prerequisites
    must hold, and the lowest risk it allows."""

    id: str
    situations: tuple[int, ...] = ()
    requires: tuple[str, ...] = ()
    down_to: Risk = "low"

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "situations": list(self.situations),
            "requires": list(self.requires),
            "down_to": self.down_to,
        }

    @staticmethod
    def from_json(data: Mapping[str, object]) -> MitigationRule:
        situations = data.get("situations", ())
        requires = data.get("requires", ())
        down_to = str(data.get("down_to", "low"))
        return MitigationRule(
            id=str(data["id"]),
            situations=tuple(int(str(v)) for v in situations) if isinstance(situations, list | tuple) else (),
            requires=tuple(str(v) for v in requires) if isinstance(requires, list | tuple) else (),
            down_to=down_to if down_to in RISK_LEVELS else "low",  # type: ignore[arg-type]
        )


@dataclass(frozen=True)
class CaseRule:
    """The part of a high-risk case that decides whether it matches and how it may be lowered (pinned with the
    inspection)."""

    id: str
    levels: tuple[int, ...]
    items: tuple[str, ...]
    results: tuple[str, ...]
    downgradable: bool = True
    conditions: tuple[str, ...] = ()
    mitigations: tuple[MitigationRule, ...] | None = None

    def applies_to(self, conditions: Collection[str]) -> bool:
        """True when the system has every condition the case needs."""
        return all(c in conditions for c in self.conditions)

    def matches(self, level: int, item_id: str, result: str) -> bool:
        return level in self.levels and item_id in self.items and result in self.results

    def mitigation(self, mitigation_id: str) -> MitigationRule | None:
        return next((m for m in self.mitigations or () if m.id == mitigation_id), None)

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "id": self.id,
            "levels": list(self.levels),
            "items": list(self.items),
            "results": list(self.results),
            "downgradable": self.downgradable,
        }
        if self.mitigations is not None:
            out["conditions"] = list(self.conditions)
            out["mitigations"] = [m.as_json() for m in self.mitigations]
        return out

    @staticmethod
    def from_json(data: Mapping[str, object]) -> CaseRule:
        def strs(key: str) -> tuple[str, ...]:
            value = data.get(key, ())
            return tuple(str(v) for v in value) if isinstance(value, list | tuple) else ()

        levels = data.get("levels", ())
        raw = data.get("mitigations")
        mitigations = (
            tuple(MitigationRule.from_json(m) for m in raw if isinstance(m, Mapping))
            if isinstance(raw, list | tuple)
            else None
        )
        return CaseRule(
            id=str(data["id"]),
            levels=tuple(int(v) for v in levels) if isinstance(levels, list | tuple) else (),
            items=strs("items"),
            results=strs("results"),
            downgradable=bool(data.get("downgradable", True)),
            conditions=strs("conditions"),
            mitigations=mitigations,
        )


@dataclass(frozen=True)
class Suggestion:
    risk: Risk | None
    cases: tuple[str, ...]
    downgradable: bool
    matched: tuple[CaseRule, ...] = ()

    def allowed(self) -> dict[str, tuple[str, ...]]:
        """For each matching case, the ids of the mitigations it allows (cases pinned without a list: none)."""
        return {c.id: tuple(m.id for m in c.mitigations or ()) for c in self.matched}


@dataclass(frozen=True)
class MitigationUse:
    """A mitigation the inspector named for one matching case (recorded in the rating event)."""

    case: str
    id: str

    def as_json(self) -> dict[str, str]:
        return {"case": self.case, "id": self.id}


def index_cases(
    cases: Iterable[CaseRule], conditions: Collection[str] | None = None
) -> dict[str, list[CaseRule]]:
    """Cases by the items they hang on; with ``conditions`` (the system's), only the cases the system meets."""
    out: dict[str, list[CaseRule]] = {}
    for case in cases:
        if conditions is not None and not case.applies_to(conditions):
            continue
        for item_id in case.items:
            out.setdefault(item_id, []).append(case)
    return out


def suggest(by_item: Mapping[str, list[CaseRule]], level: int, item_id: str, result: str) -> Suggestion:
    """The suggested risk of a result (None when the result is not an issue or no case matches)."""
    if result not in ISSUE_RESULTS:
        return Suggestion(None, (), True)
    matched = sorted(
        (c for c in by_item.get(item_id, ()) if c.matches(level, item_id, result)), key=lambda c: c.id
    )
    if not matched:
        return Suggestion(None, (), True)
    return Suggestion(
        "high",
        tuple(c.id for c in matched),
        all(c.downgradable if c.mitigations is None else bool(c.mitigations) for c in matched),
        tuple(matched),
    )


def _allowed_text(case: CaseRule) -> str:
    return ", ".join(m.id for m in case.mitigations or ()) or "-"


def check_rating(
    suggestion: Suggestion,
    risk: str,
    compensation: str | None,
    reason: str | None,
    mitigations: Sequence[str] = (),
) -> tuple[Risk, str, str, tuple[MitigationUse, ...]]:
    """Validate an inspector's rating against the suggestion; returns (risk, compensation, reason, mitigations).

    Raises ``UsageError`` for an unknown risk and ``GradesecError`` for a downgrade that no allowed mitigation
    supports, one below what the named mitigations allow, one without a reason, or mitigations named without a
    downgrade.
    """
    if risk not in RISK_LEVELS:
        raise UsageError(t("assess.error.bad_risk", risk=risk), t("assess.error.bad_risk.hint"))
    comp = (compensation or "").strip()
    why = (reason or "").strip()
    named = list(dict.fromkeys(m.strip() for m in mitigations if m.strip()))
    chosen: Risk = risk  # type: ignore[assignment]
    downgrade = suggestion.risk is not None and RISK_RANK[chosen] < RISK_RANK[suggestion.risk]
    if not downgrade:
        if named:
            raise GradesecError(
                t("risk.error.mitigation_without_downgrade", ids=", ".join(named)),
                t("risk.error.mitigation_without_downgrade.hint"),
            )
        return chosen, comp, why, ()
    cases = ", ".join(suggestion.cases)
    legacy = [c for c in suggestion.matched if c.mitigations is None]
    modern = [c for c in suggestion.matched if c.mitigations is not None]
    if not suggestion.downgradable:
        closed = [
            c
            for c in suggestion.matched
            if (c.mitigations is None and not c.downgradable) or c.mitigations == ()
        ]
        raise GradesecError(
            t("assess.error.not_downgradable", cases=", ".join(c.id for c in closed) or cases),
            t("assess.error.not_downgradable.hint"),
        )
    uses: list[MitigationUse] = []
    for case in modern:
        known = [m for m in named if case.mitigation(m) is not None]
        if not known and named:
            raise GradesecError(
                t(
                    "risk.error.unknown_mitigation",
                    ids=", ".join(named),
                    allowed=f"{case.id}: {_allowed_text(case)}",
                ),
                t("risk.error.unknown_mitigation.hint"),
            )
        if not known:
            raise GradesecError(
                t("risk.error.needs_mitigation", case=case.id, allowed=_allowed_text(case)),
                t("risk.error.needs_mitigation.hint", case=case.id),
            )
        # The most permissive of the named mitigations sets how far this case may go down.
        floor = min(RISK_RANK[m.down_to] for m in (case.mitigation(k) for k in known) if m is not None)
        if RISK_RANK[chosen] < floor:
            lowest = next(r for r in RISK_LEVELS if RISK_RANK[r] == floor)
            raise GradesecError(
                t("risk.error.below_floor", case=case.id, risk=chosen, lowest=lowest),
                t("risk.error.below_floor.hint", lowest=lowest),
            )
        uses.extend(MitigationUse(case.id, m) for m in known)
    if modern:
        covered = {u.id for u in uses}
        unknown = [m for m in named if m not in covered]
        if unknown:
            raise GradesecError(
                t(
                    "risk.error.unknown_mitigation",
                    ids=", ".join(unknown),
                    allowed="; ".join(f"{c.id}: {_allowed_text(c)}" for c in modern),
                ),
                t("risk.error.unknown_mitigation.hint"),
            )
    if legacy and not comp:
        raise GradesecError(
            t("assess.error.downgrade_needs_reason", cases=", ".join(c.id for c in legacy)),
            t("assess.error.downgrade_needs_reason.hint"),
        )
    if not why:
        raise GradesecError(t("risk.error.needs_reason", cases=cases), t("risk.error.needs_reason.hint"))
    return chosen, comp, why, tuple(uses)
