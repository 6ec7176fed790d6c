"""Scores and conclusions of an inspection under the report-template editions of domain/mlps.md §3.

Scoring has two steps, so the TUI can show scores live:

1. A :class:`Tally` aggregates the current results per item (the number of scored results, their sum, a
   count per value, and a count per value and asset importance). Setting or replacing one result touches
   one item, so it costs O(1); building a tally from N results costs O(N).
2. :func:`score` turns a tally into a :class:`ScoreResult` under one policy. It walks the applicable items
   once (a few hundred), never the results, plus the 整体测评 corrections (a few).

Item result values: compliant 1, partial 0.5, non-compliant 0, not applicable excluded. An item with no
scored result (all ``na``, or nothing recorded yet) takes no part in any sum.

Methods (``Policy.method``) and their parameters (defaults in ``params.SPECS``; the shipped files are in
``profiles/policies/``; docs/assess.md has the table and the status of each):

``mlps-2019`` (2019 report template)
    s = plain mean over the item's objects. M = 100 − mean over categories of [Σ w·(1 − s) / Σ w] × 100.
    符合 when there is no issue at all; 不符合 when any issue is rated high or M < ``threshold`` (70); else
    基本符合. Items of an extension set (``SnapshotItem.extension``) count only with ``score_extensions``.
``mlps-2021`` (2021 template; **the best public reading**, not yet checked against real reports)
    x = the item's score after 整体测评 corrections, over its objects weighted by their importance
    (``object_weights``, key 3 / important 2 / general 1). S = 100 / n, n = all scored items of both classes
    (``base: auto``; a number fixes S). f = ``multipliers`` (key 3, important 2, general 1) of the item's
    indicator class, the class whose nominal weight in ``weight_classes`` (1.0 / 0.7 / 0.4) is nearest its
    weight. V_t = max(0, 100·y − Σ_tech f·(1 − x)·S); V_m = max(0, 100·(1 − y) − Σ_mgmt f·(1 − x)·S); M = V_t +
    V_m (the floor is ``floor``). y (0.5) scales only the two caps; when one class has no scored item the
    other's cap is 100. Control-point score Σ(x·w) / Σw × 10. 优 (no medium or high issue, M ≥ 90), 良 (no
    high, M ≥ 80), 中 (no high, M ≥ 70), 差 (any high issue, or below) by ``thresholds``.
``mlps-2025`` (2025 template; the rate's basis is the best public reading)
    Rate = met / scored × 100 over items after corrections (``basis: items``: an item is met when every
    result is compliant, partly met items count ``partial_credit`` 0) or over results (``basis: results``).
    符合 when the rate is above ``good`` 90 (``good_inclusive`` false) and there is no 重大风险隐患; 不符合
    when below ``fair`` 60 (``fair_inclusive`` true keeps exactly 60 out of it); else 基本符合. A 重大风险隐患
    is the assessor's judgement (``MajorRiskJudgement``), not a high-risk issue as such: ``high_is_major``
    (false) is there for the strict reading. The front-page count "N（M个已整改）" is ``major_text``.
``share-met`` (policy-clause self-inspection)
    Weighted share met = Σ w·s / Σ w × 100; 达标 (``met``) when it reaches ``threshold`` (80), else 未达标
    (``not_met``); with ``high_fails`` true any high issue makes it 未达标.

Any method: with no scored item at all the score is None and the conclusion ``undetermined``.
"""

from gradesec.assess.scoring.core import score, score_results, weight_class
from gradesec.assess.scoring.params import (
    DEFAULTS,
    METHODS,
    SPECS,
    check_params,
    check_policy,
    effective_params,
)
from gradesec.assess.scoring.result import CategoryScore, Conclusion, ControlScore, IssueRisk, ScoreResult
from gradesec.assess.scoring.tally import CODES, NAMES, Tally

__all__ = [
    "CODES",
    "DEFAULTS",
    "METHODS",
    "NAMES",
    "SPECS",
    "CategoryScore",
    "Conclusion",
    "ControlScore",
    "IssueRisk",
    "ScoreResult",
    "Tally",
    "check_params",
    "check_policy",
    "effective_params",
    "score",
    "score_results",
    "weight_class",
]
