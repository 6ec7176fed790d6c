"""Scores and conclusions of an inspection under the report-template editions of domain/mlps.md §3.

Scoring has two steps, so the TUI can show scores live:

1. A :class:`Tally` aggregates the current results per item (the number of scored results, their sum and a
   count per value). Setting or replacing one result touches one item, so it costs O(1); building a tally
   from N results costs O(N).
2. :func:`score` turns a tally into a :class:`ScoreResult` under one policy. It walks the applicable items
   once (a few hundred), never the results, so rescoring after one new result is cheap whatever the number
   of assets.

Item result values: compliant 1, partial 0.5, non-compliant 0, not applicable excluded. An item's score is the
mean over the assets it was recorded on; an item with no scored result (all ``na``, or nothing recorded yet)
takes no part in any mean. Sums are kept in half-points (integers), so replacing results never drifts.

Methods (``Policy.method``) and their parameters (defaults in ``_SPECS``; the shipped files are in
``profiles/policies/``):

``mlps-2019`` (2019 report template)
    M = 100 − mean over categories of [Σ w·(1 − s) / Σ w] × 100, over general items only: extension items
    take part only with ``score_extensions`` true (default false). Conclusion 符合 when there is no issue at
    all; 不符合 when any issue is rated high or M < ``threshold`` (70); else 基本符合.
``mlps-2021`` (2021 template; **an approximation**: the template's exact deduction formula is not public)
    Control-point score Σ(s·w) / Σw × 10. Overall M = 100 − y·b_t·Σ_tech m·(1 − s) − (1 − y)·b_m·Σ_mgmt m·(1 − s),
    floored at ``floor`` (0), with m from ``multipliers`` (key 3, important 2, general 1) by the item's class,
    the class whose nominal weight in ``weight_classes`` (1.0 / 0.7 / 0.4) is nearest the item's weight. With
    ``base: auto`` a class's base is 100 / Σ m over its scored items (a class failing every item loses exactly
    its share); a number fixes both, ``{technical, management}`` each. ``y`` (0.5) is the attention
    coefficient; when only one class has scored items it carries the whole weight. Conclusion by
    ``thresholds``: 优 (no medium or high issue, M ≥ 90), 良 (M ≥ 80), 中 (M ≥ 70), 差 (any high issue, or below).
``mlps-2025`` (2025 template)
    Compliance rate = met / scored × 100 over items (``basis: items``: an item is met when every result is
    compliant, partly met items count ``partial_credit`` 0) or over results (``basis: results``). 符合 when
    the rate is above ``good`` 90 (``good_inclusive`` false) and there is no major risk (重大风险隐患: an issue
    flagged major, or any high issue when ``high_is_major`` true); 不符合 when the rate is below ``fair`` 60
    (``fair_inclusive`` true keeps exactly 60 out of it); else 基本符合.
``share-met`` (policy-clause self-inspection)
    Weighted share met = Σ w·s / Σ w × 100; 达标 (``met``) when it reaches ``threshold`` (80), else 未达标
    (``not_met``); with ``high_fails`` true any high issue makes it 未达标. Issues are counted by risk.

Any method: with no scored item at all the score is None and the conclusion ``undetermined``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gradesec.assess.model import RISK_LEVELS, Issue, PolicySnapshot, Progress, SnapshotItem
from gradesec.errors import CatalogError
from gradesec.i18n import t

# Result codes, in the order of the per-item counts.
COMPLIANT, PARTIAL, NONCOMPLIANT, NA = 0, 1, 2, 3
CODES: dict[str, int] = {"compliant": COMPLIANT, "partial": PARTIAL, "noncompliant": NONCOMPLIANT, "na": NA}
NAMES: tuple[str, ...] = ("compliant", "partial", "noncompliant", "na")
_HALF_POINTS = (2, 1, 0, 0)  # compliant, partial, non-compliant, (na: not scored)
_EPS = 1e-9

METHODS: tuple[str, ...] = ("mlps-2019", "mlps-2021", "mlps-2025", "share-met")

# Parameter kinds: a number, a flag, one of some words, a number or "auto", or a mapping of named numbers.
_NUMBER, _FLAG = "number", "flag"
_SPECS: dict[str, dict[str, tuple[str, Any]]] = {
    "mlps-2019": {"threshold": (_NUMBER, 70.0), "score_extensions": (_FLAG, False)},
    "mlps-2021": {
        "y": (_NUMBER, 0.5),
        "base": ("number|auto|classes", "auto"),
        "multipliers": ("map:key,important,general", {"key": 3.0, "important": 2.0, "general": 1.0}),
        "weight_classes": ("map:key,important,general", {"key": 1.0, "important": 0.7, "general": 0.4}),
        "thresholds": ("map:excellent,good,fair", {"excellent": 90.0, "good": 80.0, "fair": 70.0}),
        "floor": (_NUMBER, 0.0),
    },
    "mlps-2025": {
        "good": (_NUMBER, 90.0),
        "fair": (_NUMBER, 60.0),
        "good_inclusive": (_FLAG, False),
        "fair_inclusive": (_FLAG, True),
        "basis": ("choice:items,results", "items"),
        "partial_credit": (_NUMBER, 0.0),
        "high_is_major": (_FLAG, True),
    },
    "share-met": {"threshold": (_NUMBER, 80.0), "high_fails": (_FLAG, False)},
}
DEFAULTS: dict[str, dict[str, Any]] = {m: {k: v[1] for k, v in spec.items()} for m, spec in _SPECS.items()}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _valid(kind: str, value: Any) -> bool:
    if kind == _NUMBER:
        return _is_number(value)
    if kind == _FLAG:
        return isinstance(value, bool)
    if kind.startswith("choice:"):
        return isinstance(value, str) and value in kind[7:].split(",")
    if kind.startswith("map:"):
        names = set(kind[4:].split(","))
        return isinstance(value, dict) and set(value) <= names and all(_is_number(v) for v in value.values())
    # number|auto|classes: a fixed base for both classes, auto, or {technical: …, management: …}
    if value == "auto" or _is_number(value):
        return True
    return (
        isinstance(value, dict)
        and set(value) == {"technical", "management"}
        and all(_is_number(v) for v in value.values())
    )


def check_params(method: str, params: Mapping[str, Any]) -> list[str]:
    """Problems with a policy's parameters (unknown names, wrong types); empty when they are usable."""
    spec = _SPECS.get(method)
    if spec is None:
        return [t("assess.policy.unknown_method", method=method, methods=", ".join(METHODS))]
    problems: list[str] = []
    for name, value in params.items():
        if name not in spec:
            problems.append(
                t("assess.policy.unknown_param", name=name, method=method, known=", ".join(sorted(spec)))
            )
        elif not _valid(spec[name][0], value):
            problems.append(t("assess.policy.bad_param", name=name, value=repr(value), method=method))
    return problems


def effective_params(policy: PolicySnapshot) -> dict[str, Any]:
    """The policy's parameters over the method's defaults (raises ``CatalogError`` when they are unusable).

    Mappings merge key by key, so a policy may override one threshold and keep the others.
    """
    problems = check_params(policy.method, policy.params)
    if problems:
        raise CatalogError(
            t("assess.policy.invalid", id=policy.id), t("assess.policy.invalid.hint"), problems=problems
        )
    merged: dict[str, Any] = {}
    for name, (kind, default) in _SPECS[policy.method].items():
        value = policy.params.get(name, default)
        if kind.startswith("map:"):
            merged[name] = {k: float(v) for k, v in {**default, **value}.items()}
        elif kind == _NUMBER:
            merged[name] = float(value)
        elif isinstance(value, dict):
            merged[name] = {k: float(v) for k, v in value.items()}
        else:
            merged[name] = float(value) if _is_number(value) else value
    return merged


class Tally:
    """Current results of an inspection aggregated per item; the incremental half of scoring.

    ``set`` adds a result or replaces the one held for the same (item, asset); ``remove`` drops it. Results
    for items outside the snapshot are counted in ``ignored`` and otherwise left out.
    """

    __slots__ = ("_index", "counts", "current", "half", "ignored", "items", "scored")

    def __init__(self, items: Sequence[SnapshotItem]) -> None:
        self.items: tuple[SnapshotItem, ...] = tuple(items)
        self._index: dict[str, int] = {item.id: i for i, item in enumerate(self.items)}
        n = len(self.items)
        self.scored: list[int] = [0] * n
        self.half: list[int] = [0] * n
        self.counts: list[list[int]] = [[0, 0, 0, 0] for _ in range(n)]
        self.current: dict[tuple[str, str], int] = {}
        self.ignored = 0

    @classmethod
    def from_results(cls, items: Sequence[SnapshotItem], results: Iterable[tuple[str, str, str]]) -> Tally:
        """A tally of ``(item id, asset id, result)`` triples; a later triple for the same pair replaces one."""
        tally = cls(items)
        index = tally._index
        current = tally.current
        counts = tally.counts
        scored = tally.scored
        half = tally.half
        codes = CODES
        points = _HALF_POINTS
        for item_id, asset_id, value in results:
            i = index.get(item_id)
            if i is None:
                tally.ignored += 1
                continue
            code = codes[value]
            key = (item_id, asset_id)
            old = current.get(key)
            if old is not None:
                tally._drop(i, old)
            current[key] = code
            counts[i][code] += 1
            if code != NA:
                scored[i] += 1
                half[i] += points[code]
        return tally

    def _drop(self, i: int, code: int) -> None:
        self.counts[i][code] -= 1
        if code != NA:
            self.scored[i] -= 1
            self.half[i] -= _HALF_POINTS[code]

    def set(self, item_id: str, asset_id: str, value: str) -> None:
        i = self._index.get(item_id)
        if i is None:
            self.ignored += 1
            return
        code = CODES[value]
        key = (item_id, asset_id)
        old = self.current.get(key)
        if old is not None:
            self._drop(i, old)
        self.current[key] = code
        self.counts[i][code] += 1
        if code != NA:
            self.scored[i] += 1
            self.half[i] += _HALF_POINTS[code]

    def remove(self, item_id: str, asset_id: str) -> None:
        i = self._index.get(item_id)
        old = self.current.pop((item_id, asset_id), None)
        if i is not None and old is not None:
            self._drop(i, old)

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
            "weight": _r(self.weight),
            "deduction": _r(self.deduction),
            "score": _r(self.score),
        }


@dataclass(frozen=True)
class ControlScore:
    id: str
    category: str
    items: int
    score: float | None  # Σ(s·w) / Σw × 10

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "category": self.category, "items": self.items, "score": _r(self.score)}


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

    def as_json(self) -> dict[str, Any]:
        return {
            "policy": {
                "id": self.policy_id,
                "method": self.method,
                "sha256": self.policy_sha256,
                "params": self.params,
            },
            "score": _r(self.score),
            "conclusion": {"code": self.conclusion.code, **self.conclusion.label},
            "compliance_rate": _r(self.compliance_rate),
            "approximation": self.approximation,
            "note": self.note,
            "provisional": self.provisional,
            "items": {"scored": self.items_scored, "applicable": self.items_total},
            "counts": {"results": dict(self.results), "issues": dict(self.issues)},
            "categories": [c.as_json() for c in self.categories],
            "controls": [c.as_json() for c in self.controls],
            "progress": self.progress.as_json() if self.progress is not None else None,
            "pins": dict(self.pins),
        }


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _issue_counts(issues: Sequence[IssueRisk]) -> dict[str, int]:
    counts: dict[str, int] = {risk: 0 for risk in RISK_LEVELS}
    counts["unrated"] = 0
    counts["major"] = 0
    for issue in issues:
        counts[issue.risk if issue.risk in counts else "unrated"] += 1
        if issue.major:
            counts["major"] += 1
    return counts


def _weight_class(weight: float, classes: dict[str, float]) -> str:
    """The indicator class whose nominal weight is nearest (a tie goes to the more important class)."""
    best = "key"
    for name in ("key", "important", "general"):
        if abs(weight - classes[name]) < abs(weight - classes[best]) - _EPS:
            best = name
    return best


def score(
    tally: Tally,
    policy: PolicySnapshot,
    issues: Sequence[IssueRisk] = (),
    *,
    progress: Progress | None = None,
    pins: Mapping[str, str] | None = None,
    unresolved: int = 0,
) -> ScoreResult:
    """Score the tally under ``policy``. ``unresolved`` counts open disagreements (they make it provisional)."""
    params = effective_params(policy)
    method = policy.method
    items = tally.items
    by_class: dict[str, list[float]] = {"technical": [0.0, 0.0], "management": [0.0, 0.0]}  # Σm, Σm(1−s)
    cat_acc: dict[str, list[float]] = {}  # code -> [items, Σw, Σw(1−s)]
    cat_cls: dict[str, str] = {}
    ctl_acc: dict[str, list[float]] = {}  # id -> [items, Σw, Σw·s]
    ctl_cat: dict[str, str] = {}
    met = 0.0
    scored_items = 0
    partial_credit = float(params.get("partial_credit", 0.0))
    multipliers: dict[str, float] = params.get("multipliers", {})
    classes: dict[str, float] = params.get("weight_classes", {})
    class_of: dict[float, float] = {}  # weight -> multiplier, computed once per distinct weight
    # Extension items (安全扩展要求) carry no weight in the 2019 score unless the policy says so.
    skip_ext = method == "mlps-2019" and not params.get("score_extensions", False)
    for i, item in enumerate(items):
        if skip_ext and item.extension:
            continue
        if item.category not in cat_acc:
            cat_acc[item.category] = [0, 0.0, 0.0]
            cat_cls[item.category] = item.category_class
        if item.control not in ctl_acc:
            ctl_acc[item.control] = [0, 0.0, 0.0]
            ctl_cat[item.control] = item.category
        n = tally.scored[i]
        if not n:
            continue
        scored_items += 1
        s = tally.half[i] / (2 * n)
        w = item.weight
        cat = cat_acc[item.category]
        cat[0] += 1
        cat[1] += w
        cat[2] += w * (1.0 - s)
        ctl = ctl_acc[item.control]
        ctl[0] += 1
        ctl[1] += w
        ctl[2] += w * s
        if s >= 1.0:
            met += 1.0
        elif s > 0.0:
            met += partial_credit
        if method == "mlps-2021":
            m = class_of.get(w)
            if m is None:
                m = class_of[w] = multipliers[_weight_class(w, classes)]
            acc = by_class[item.category_class]
            acc[0] += m
            acc[1] += m * (1.0 - s)

    categories = tuple(
        CategoryScore(
            code,
            cat_cls[code],
            int(acc[0]),
            acc[1],
            acc[2],
            (1.0 - acc[2] / acc[1]) * 100.0 if acc[1] > 0 else None,
        )
        for code, acc in cat_acc.items()
    )
    controls = tuple(
        ControlScore(cid, ctl_cat[cid], int(acc[0]), acc[2] / acc[1] * 10.0 if acc[1] > 0 else None)
        for cid, acc in ctl_acc.items()
    )
    results = tally.result_counts()
    issue_counts = _issue_counts(issues)
    has_issue = results["partial"] + results["noncompliant"] > 0
    high = issue_counts["high"] > 0
    medium = issue_counts["medium"] > 0

    overall: float | None = None
    rate: float | None = None
    approximation = False
    note: dict[str, str] | None = None
    code = "undetermined"
    if method == "mlps-2019":
        ratios = [c.deduction / c.weight for c in categories if c.weight > 0]
        if ratios:
            overall = 100.0 - sum(ratios) / len(ratios) * 100.0
            if not has_issue:
                code = "compliant"
            elif high or overall + _EPS < params["threshold"]:
                code = "noncompliant"
            else:
                code = "basically_compliant"
    elif method == "mlps-2021":
        approximation = True
        note = {"zh": t("assess.note.2021", lang="zh"), "en": t("assess.note.2021", lang="en")}
        overall = _overall_2021(by_class, params)
        if overall is not None:
            bands = params["thresholds"]
            if high or overall + _EPS < bands["fair"]:
                code = "poor"
            elif not medium and overall + _EPS >= bands["excellent"]:
                code = "excellent"
            elif overall + _EPS >= bands["good"]:
                code = "good"
            else:
                code = "fair"
    elif method == "mlps-2025":
        if params["basis"] == "results":
            n_scored = results["compliant"] + results["partial"] + results["noncompliant"]
            credit = results["compliant"] + partial_credit * results["partial"]
            rate = credit / n_scored * 100.0 if n_scored else None
        else:
            rate = met / scored_items * 100.0 if scored_items else None
        overall = rate
        if rate is not None:
            major = issue_counts["major"] > 0 or (params["high_is_major"] and high)
            good, fair = params["good"], params["fair"]
            above = rate + _EPS >= good if params["good_inclusive"] else rate > good + _EPS
            below = rate + _EPS < fair if params["fair_inclusive"] else rate <= fair + _EPS
            if below:
                code = "noncompliant"
            elif above and not major:
                code = "compliant"
            else:
                code = "basically_compliant"
    else:  # share-met: the weighted share of requirements met
        weight = sum(c.weight for c in categories)
        if weight > 0:
            rate = (1.0 - sum(c.deduction for c in categories) / weight) * 100.0
            overall = rate
            fails = params["high_fails"] and high
            code = "met" if rate + _EPS >= params["threshold"] and not fails else "not_met"

    provisional = (
        issue_counts["unrated"] > 0 or unresolved > 0 or (progress is not None and not progress.complete)
    )
    return ScoreResult(
        policy_id=policy.id,
        method=method,
        params=params,
        policy_sha256=policy.sha256,
        score=overall,
        conclusion=Conclusion.of(code),
        compliance_rate=rate,
        categories=categories,
        controls=controls,
        results=results,
        issues=issue_counts,
        items_scored=scored_items,
        items_total=len(items),
        approximation=approximation,
        note=note,
        provisional=provisional,
        progress=progress,
        pins=dict(pins or {}),
    )


def _overall_2021(acc: dict[str, list[float]], params: dict[str, Any]) -> float | None:
    tech_m, tech_def = acc["technical"]
    mgmt_m, mgmt_def = acc["management"]
    if tech_m <= 0 and mgmt_m <= 0:
        return None
    y = float(params["y"])
    # One class alone carries the whole weight, or an all-technical inspection could never fall below 100·(1−y).
    if mgmt_m <= 0:
        y = 1.0
    elif tech_m <= 0:
        y = 0.0
    base = params["base"]
    if base == "auto":
        b_t = 100.0 / tech_m if tech_m > 0 else 0.0
        b_m = 100.0 / mgmt_m if mgmt_m > 0 else 0.0
    elif isinstance(base, dict):
        b_t, b_m = float(base["technical"]), float(base["management"])
    else:
        b_t = b_m = float(base)
    deduction = y * b_t * tech_def + (1.0 - y) * b_m * mgmt_def
    return max(float(params["floor"]), 100.0 - deduction)


def score_results(
    items: Sequence[SnapshotItem],
    results: Iterable[tuple[str, str, str]],
    policy: PolicySnapshot,
    issues: Sequence[IssueRisk] = (),
    **kwargs: Any,
) -> ScoreResult:
    """One-shot scoring of ``(item, asset, result)`` triples."""
    return score(Tally.from_results(items, results), policy, issues, **kwargs)
