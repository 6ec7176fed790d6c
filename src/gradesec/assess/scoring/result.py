"""What scoring returns: the score, the conclusion and everything a view, report or script shows with them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from gradesec.assess.judgements import Correction, MajorRiskJudgement
from gradesec.assess.model import RISK_LEVELS, Issue, Progress
from gradesec.i18n import t


@dataclass(frozen=True)
class IssueRisk:
    """What scoring needs to know of an issue: its effective risk (None: not rated) and the major flag."""

    risk: str | None
    major: bool = False

    @staticmethod
    def of(issue: Issue) -> IssueRisk:
        return IssueRisk(issue.effective, issue.major)


@dataclass(frozen=True)
class Conclusion:
    code: str
    label: dict[str, str]

    @staticmethod
    def of(code: str) -> Conclusion:
        key = f"assess.conclusion.{code}"
        return Conclusion(code, {"zh": t(key, lang="zh"), "en": t(key, lang="en")})


@dataclass(frozen=True)
class CategoryScore:
    code: str
    cls: str
    items: int  # items with at least one scored result
    weight: float  # Σ w over them
    deduction: float  # Σ w·(1 − s)
    score: float | None  # (1 − deduction / weight) × 100

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "class": self.cls,
            "items": self.items,
            "weight": r4(self.weight),
            "deduction": r4(self.deduction),
            "score": r4(self.score),
        }


@dataclass(frozen=True)
class ControlScore:
    id: str
    category: str
    items: int
    score: float | None  # Σ(s·w) / Σw × 10

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "category": self.category, "items": self.items, "score": r4(self.score)}


@dataclass(frozen=True)
class ScoreResult:
    """Everything a score view, report or script needs; ``as_json`` is the stable scripting shape."""

    policy_id: str
    method: str
    params: dict[str, Any]
    policy_sha256: str
    score: float | None
    conclusion: Conclusion
    compliance_rate: float | None
    categories: tuple[CategoryScore, ...]
    controls: tuple[ControlScore, ...]
    results: dict[str, int]
    issues: dict[str, int]
    items_scored: int
    items_total: int
    approximation: bool = False
    note: dict[str, str] | None = None
    provisional: bool = False
    progress: Progress | None = None
    pins: dict[str, str] = field(default_factory=dict)
    status: str = "established"  # "best_public_reading" for a formula not yet checked against real reports
    major_risks: tuple[MajorRiskJudgement, ...] = ()  # the judgements that found a 重大风险隐患
    corrections: tuple[Correction, ...] = ()  # the 整体测评 corrections this score used
    detail: dict[str, float] = field(default_factory=dict)  # the 2021 parts: base, y, V_t, V_m, deductions

    @property
    def major_count(self) -> int:
        return len(self.major_risks)

    @property
    def major_remediated(self) -> int:
        return sum(1 for m in self.major_risks if m.remediated)

    def major_text(self, lang: str) -> str:
        """The front-page count of 重大风险隐患: "N（M个已整改）" / "N (M remediated)"."""
        return t("scoring.major.count", lang=lang, n=self.major_count, m=self.major_remediated)

    def as_json(self) -> dict[str, Any]:
        return {
            "policy": {
                "id": self.policy_id,
                "method": self.method,
                "sha256": self.policy_sha256,
                "params": self.params,
            },
            "score": r4(self.score),
            "conclusion": {"code": self.conclusion.code, **self.conclusion.label},
            "compliance_rate": r4(self.compliance_rate),
            "approximation": self.approximation,
            "note": self.note,
            "provisional": self.provisional,
            "items": {"scored": self.items_scored, "applicable": self.items_total},
            "counts": {"results": dict(self.results), "issues": dict(self.issues)},
            "categories": [c.as_json() for c in self.categories],
            "controls": [c.as_json() for c in self.controls],
            "progress": self.progress.as_json() if self.progress is not None else None,
            "pins": dict(self.pins),
            "status": self.status,
            "major_risks": {
                "count": self.major_count,
                "remediated": self.major_remediated,
                "text": {"zh": self.major_text("zh"), "en": self.major_text("en")},
                "judgements": [m.as_json() for m in self.major_risks],
            },
            "corrections": [c.as_json() for c in self.corrections],
            "detail": {k: r4(v) for k, v in self.detail.items()},
        }


def r4(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def issue_counts(issues: Sequence[IssueRisk]) -> dict[str, int]:
    counts: dict[str, int] = {risk: 0 for risk in RISK_LEVELS}
    counts["unrated"] = 0
    counts["major"] = 0
    for issue in issues:
        counts[issue.risk if issue.risk in counts else "unrated"] += 1
        if issue.major:
            counts["major"] += 1
    return counts
