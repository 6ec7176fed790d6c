"""``score``: a tally under one policy becomes a ``ScoreResult`` (formulas in the package docstring)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from gradesec.assess.judgements import Correction, MajorRiskJudgement
from gradesec.assess.model import PolicySnapshot, Progress, SnapshotItem
from gradesec.assess.scoring.items import ItemScores
from gradesec.assess.scoring.params import effective_params
from gradesec.assess.scoring.result import (
    CategoryScore,
    Conclusion,
    ControlScore,
    IssueRisk,
    ScoreResult,
    issue_counts,
)
from gradesec.assess.scoring.tally import Tally
from gradesec.i18n import t

EPS = 1e-9
# Methods whose formula has not been checked against real reports: labelled in every result.
BEST_PUBLIC_READING = frozenset({"mlps-2021", "mlps-2025"})


def weight_class(weight: float, classes: Mapping[str, float]) -> str:
    """The indicator class whose nominal weight is nearest (a tie goes to the more important class)."""
    best = "key"
    for name in ("key", "important", "general"):
        if abs(weight - classes[name]) < abs(weight - classes[best]) - EPS:
            best = name
    return best


def overall_2021(
    items: Sequence[SnapshotItem], xs: Sequence[float | None], params: Mapping[str, Any]
) -> tuple[float | None, dict[str, float]]:
    """M = V_t + V_m of the 2021 template (best public reading); also the parts, for the record.

    S = 100 / n over the n scored items of both classes (or the fixed ``base``); each class deducts
    Σ f(ω)·(1 − x)·S from its cap (100·y technical, 100·(1 − y) management) and is floored on its own.
    When one class has no scored item the other's cap is the whole 100.
    """
    multipliers = params["multipliers"]
    classes = params["weight_classes"]
    n = {"technical": 0, "management": 0}
    loss = {"technical": 0.0, "management": 0.0}  # Σ f·(1 − x), before the base
    for item, x in zip(items, xs, strict=True):
        if x is None:
            continue
        n[item.category_class] += 1
        loss[item.category_class] += multipliers[weight_class(item.weight, classes)] * (1.0 - x)
    total = n["technical"] + n["management"]
    if total == 0:
        return None, {}
    base = 100.0 / total if params["base"] == "auto" else float(params["base"])
    y = float(params["y"])
    if n["management"] == 0:
        y = 1.0
    elif n["technical"] == 0:
        y = 0.0
    floor = float(params["floor"])
    v_t = max(floor, 100.0 * y - loss["technical"] * base)
    v_m = max(floor, 100.0 * (1.0 - y) - loss["management"] * base)
    detail = {
        "base": base,
        "n": float(total),
        "y": y,
        "technical": v_t,
        "management": v_m,
        "deduction_technical": loss["technical"] * base,
        "deduction_management": loss["management"] * base,
    }
    return v_t + v_m, detail


def score(
    tally: Tally,
    policy: PolicySnapshot,
    issues: Sequence[IssueRisk] = (),
    *,
    progress: Progress | None = None,
    pins: Mapping[str, str] | None = None,
    unresolved: int = 0,
    corrections: Sequence[Correction] = (),
    major_risks: Sequence[MajorRiskJudgement] = (),
) -> ScoreResult:
    """Score the tally under ``policy``. ``unresolved`` counts open disagreements (they make it provisional);
    ``corrections`` are the 整体测评 results (used where the policy says so); ``major_risks`` the assessor's
    重大风险隐患 judgements (only those finding a major risk count)."""
    params = effective_params(policy)
    method = policy.method
    items = tally.items
    view = ItemScores(tally, corrections if params.get("use_corrections", False) else ())
    skip_extensions = method == "mlps-2019" and not params["score_extensions"]
    object_weights = params.get("object_weights")

    # one score per item (None: not scored), as the method reads it
    xs: list[float | None] = []
    for i, item in enumerate(items):
        if skip_extensions and item.extension:
            xs.append(None)
        elif object_weights is not None:
            xs.append(view.weighted(i, object_weights))
        else:
            xs.append(view.mean(i))

    cat_acc: dict[str, list[float]] = {}  # code -> [items, Σw, Σw(1−s)]
    cat_cls: dict[str, str] = {}
    ctl_acc: dict[str, list[float]] = {}  # id -> [items, Σw, Σw·s]
    ctl_cat: dict[str, str] = {}
    met = 0.0
    scored_items = 0
    partial_credit = float(params.get("partial_credit", 0.0))
    for item, s in zip(items, xs, strict=True):
        if item.category not in cat_acc:
            cat_acc[item.category] = [0, 0.0, 0.0]
            cat_cls[item.category] = item.category_class
        if item.control not in ctl_acc:
            ctl_acc[item.control] = [0, 0.0, 0.0]
            ctl_cat[item.control] = item.category
        if s is None:
            continue
        scored_items += 1
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
    used = view.result_counts()
    counts = issue_counts(issues)
    has_issue = results["partial"] + results["noncompliant"] > 0
    high = counts["high"] > 0
    medium = counts["medium"] > 0
    majors = tuple(m for m in major_risks if m.major)

    overall: float | None = None
    rate: float | None = None
    detail: dict[str, float] = {}
    note: dict[str, str] | None = None
    code = "undetermined"
    if method == "mlps-2019":
        ratios = [c.deduction / c.weight for c in categories if c.weight > 0]
        if ratios:
            overall = 100.0 - sum(ratios) / len(ratios) * 100.0
            if not has_issue:
                code = "compliant"
            elif high or overall + EPS < params["threshold"]:
                code = "noncompliant"
            else:
                code = "basically_compliant"
    elif method == "mlps-2021":
        note = {"zh": t("assess.note.2021", lang="zh"), "en": t("assess.note.2021", lang="en")}
        overall, detail = overall_2021(items, xs, params)
        if overall is not None:
            bands = params["thresholds"]
            if high or overall + EPS < bands["fair"]:
                code = "poor"
            elif not medium and overall + EPS >= bands["excellent"]:
                code = "excellent"
            elif overall + EPS >= bands["good"]:
                code = "good"
            else:
                code = "fair"
    elif method == "mlps-2025":
        note = {"zh": t("scoring.note.2025", lang="zh"), "en": t("scoring.note.2025", lang="en")}
        if params["basis"] == "results":
            n_scored = used["compliant"] + used["partial"] + used["noncompliant"]
            credit = used["compliant"] + partial_credit * used["partial"]
            rate = credit / n_scored * 100.0 if n_scored else None
        else:
            rate = met / scored_items * 100.0 if scored_items else None
        overall = rate
        if rate is not None:
            major = bool(majors) or counts["major"] > 0 or (params["high_is_major"] and high)
            good, fair = params["good"], params["fair"]
            above = rate + EPS >= good if params["good_inclusive"] else rate > good + EPS
            below = rate + EPS < fair if params["fair_inclusive"] else rate <= fair + EPS
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
            code = "met" if rate + EPS >= params["threshold"] and not fails else "not_met"

    provisional = counts["unrated"] > 0 or unresolved > 0 or (progress is not None and not progress.complete)
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
        issues=counts,
        items_scored=scored_items,
        items_total=len(items),
        approximation=method == "mlps-2021",
        note=note,
        provisional=provisional,
        progress=progress,
        pins=dict(pins or {}),
        status="best_public_reading" if method in BEST_PUBLIC_READING else "established",
        major_risks=majors,
        corrections=tuple(view.applied),
        detail=detail,
    )


def score_results(
    items: Sequence[SnapshotItem],
    results: Iterable[tuple[str, str, str]],
    policy: PolicySnapshot,
    issues: Sequence[IssueRisk] = (),
    *,
    importance: Mapping[str, str] | None = None,
    **kwargs: Any,
) -> ScoreResult:
    """One-shot scoring of ``(item, asset, result)`` triples (``importance``: asset id → 关键/重要/一般)."""
    return score(Tally.from_results(items, results, importance), policy, issues, **kwargs)
