"""The office's evaluation of units: a YAML policy of weights and a pure score over figures the queries gave.

No SQL here: ``hub/city.py`` gathers a unit's figures (``UnitFigures``) from the projections and this module
turns them into parts between 0 and 1 and a score out of 100. The shipped policy is
``evaluation-default.yaml`` beside this module; an office passes its own with ``--policy FILE``. A policy file
may leave sections out (they keep the default); anything it does say is checked strictly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from gradesec.errors import UsageError
from gradesec.i18n import t

DEFAULT_POLICY = Path(__file__).with_name("evaluation-default.yaml")
PARTS = ("inspections", "conclusions", "high_risk", "overdue_remediation", "filings", "drills")
CONCLUSIONS = (
    "compliant",
    "basically_compliant",
    "noncompliant",
    "excellent",
    "good",
    "fair",
    "poor",
    "met",
    "not_met",
    "undetermined",
    "none",
)
_FRACTIONS = ("high_risk_per_item", "overdue_per_item", "filing_expired", "filing_expiring")
_KEYS = {"version", "weights", "conclusions", "expiring_days", "drills_per_year", *_FRACTIONS}


@dataclass(frozen=True)
class Policy:
    weights: Mapping[str, float]
    conclusions: Mapping[str, float]
    high_risk_per_item: float
    overdue_per_item: float
    filing_expired: float
    filing_expiring: float
    expiring_days: int
    drills_per_year: int
    source: str


@dataclass(frozen=True)
class UnitFigures:
    """What the queries say about one unit on the evaluation day."""

    graded: int  # systems of level 3 and above (inspections are mandated for them)
    overdue_inspections: int  # of those, how many are overdue
    conclusions: Sequence[str]  # each system's latest conclusion code, "none" if never inspected
    high_risk: int  # open high-risk problems
    overdue_remediation: int  # remediation items past their deadline, still owed work
    filings: int  # systems with a filing number and expiry
    filings_expired: int
    filings_expiring: int  # not expired, expiring within the policy's window
    drills: int  # drills held this year


@dataclass(frozen=True)
class Evaluation:
    parts: Mapping[str, float]  # each part 0..1, rounded to 4 places
    score: float  # 0..100, one decimal


def _fail(source: str, problem: str) -> UsageError:
    return UsageError(
        t("hubdash.policy.bad", path=source, problem=problem),
        t("hubdash.policy.bad.hint", default=str(DEFAULT_POLICY)),
    )


def _number(source: str, where: str, value: Any, *, fraction: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(source, t("hubdash.policy.not_number", key=where, value=repr(value)))
    if value < 0 or value != value or value == float("inf"):
        raise _fail(source, t("hubdash.policy.negative", key=where, value=repr(value)))
    if fraction and value > 1:
        raise _fail(source, t("hubdash.policy.fraction", key=where, value=repr(value)))
    return float(value)


def _count(source: str, where: str, value: Any, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise _fail(source, t("hubdash.policy.count", key=where, value=repr(value), low=low))
    return value


def _section(source: str, name: str, value: Any, allowed: Sequence[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(source, t("hubdash.policy.not_mapping", key=name))
    unknown = sorted(str(k) for k in value if k not in allowed)
    if unknown:
        raise _fail(source, t("hubdash.policy.unknown", key=f"{name}.{unknown[0]}", known=", ".join(allowed)))
    return value


def _read(path: Path) -> dict[str, Any]:
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(
            t("hubdash.policy.unreadable", path=source, detail=detail), t("hubdash.policy.unreadable.hint")
        ) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise _fail(source, t("hubdash.policy.yaml", line=line)) from None
    if data is None:
        data = {}
    return _section(source, "policy", data, sorted(_KEYS))


def load_policy(path: Path | None = None) -> Policy:
    """The shipped policy, with the sections of ``path`` (when given) checked and laid over it."""
    merged = _read(DEFAULT_POLICY)
    source = str(DEFAULT_POLICY)
    if path is not None:
        source = str(path)
        given = _read(path)
        if "version" in given and given["version"] != 1:
            raise _fail(source, t("hubdash.policy.version", value=repr(given["version"])))
        for key, value in given.items():
            if key in ("weights", "conclusions"):
                allowed = PARTS if key == "weights" else CONCLUSIONS
                merged[key] = {**merged[key], **_section(source, key, value, allowed)}
            else:
                merged[key] = value
    weights = {p: _number(source, f"weights.{p}", merged["weights"][p]) for p in PARTS}
    if sum(weights.values()) <= 0:
        raise _fail(source, t("hubdash.policy.no_weight"))
    values = {
        c: _number(source, f"conclusions.{c}", merged["conclusions"][c], fraction=True) for c in CONCLUSIONS
    }
    fractions = {k: _number(source, k, merged[k], fraction=True) for k in _FRACTIONS}
    return Policy(
        weights=weights,
        conclusions=values,
        expiring_days=_count(source, "expiring_days", merged["expiring_days"], 0),
        drills_per_year=_count(source, "drills_per_year", merged["drills_per_year"], 1),
        source=source,
        **fractions,
    )


def _penalised(items: int, per_item: float) -> float:
    return max(0.0, 1.0 - items * per_item)


def parts_of(figures: UnitFigures, policy: Policy) -> dict[str, float]:
    """Each part of the score between 0 and 1 (a unit with nothing to measure in a part gets full marks)."""
    f = figures
    filings = 1.0
    if f.filings:
        lost = f.filings_expired * policy.filing_expired + f.filings_expiring * policy.filing_expiring
        filings = max(0.0, 1.0 - lost / f.filings)
    parts = {
        "inspections": 1.0 if not f.graded else (f.graded - f.overdue_inspections) / f.graded,
        "conclusions": (
            sum(policy.conclusions.get(c, 0.0) for c in f.conclusions) / len(f.conclusions)
            if f.conclusions
            else 1.0
        ),
        "high_risk": _penalised(f.high_risk, policy.high_risk_per_item),
        "overdue_remediation": _penalised(f.overdue_remediation, policy.overdue_per_item),
        "filings": filings,
        "drills": min(1.0, f.drills / policy.drills_per_year),
    }
    return {k: round(v, 4) for k, v in parts.items()}


def evaluate(figures: UnitFigures, policy: Policy) -> Evaluation:
    parts = parts_of(figures, policy)
    total = sum(policy.weights.values())
    score = 100.0 * sum(policy.weights[p] * parts[p] for p in PARTS) / total
    return Evaluation(parts, round(score + 1e-9, 1))
