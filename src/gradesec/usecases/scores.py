"""Scoring an inspection: once (``score``) or kept up to date as results come in (``LiveScore``).

Policies pinned when the inspection opened score with their pinned parameters (``policy_snapshot`` makes
the pinned form), so an old inspection scores the same after the catalog files change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from gradesec.assess import scoring
from gradesec.assess.judgements import Correction, MajorRiskJudgement
from gradesec.assess.model import (
    ISSUE_RESULTS,
    RISK_LEVELS,
    Asset,
    Inspection,
    Issue,
    PolicySnapshot,
    Progress,
    progress_of,
)
from gradesec.assess.risk import CaseRule, suggest
from gradesec.assess.scoring import IssueRisk, ScoreResult, Tally
from gradesec.state import assess as db_assess
from gradesec.state import judgements as db_judge
from gradesec.usecases.assess_checks import need_inspection, read_db
from gradesec.usecases.inspection_view import cases_of, derive_issues
from gradesec.usecases.judgements import judgements_in

if TYPE_CHECKING:
    from gradesec.catalog.loader import Catalog
    from gradesec.usecases.context import Context


def policy_snapshot(catalog: Catalog, policy_id: str) -> PolicySnapshot:
    policy = catalog.policy(policy_id)
    snap = PolicySnapshot(
        policy.id,
        policy.method,
        dict(policy.params),
        catalog.hash_of("policy", policy.id),
        policy.title.as_dict(),
    )
    scoring.effective_params(snap)  # refuse a policy whose parameters scoring cannot use, before pinning it
    return snap


def _policy_for(ctx: Context, insp: Inspection, policy_id: str | None) -> PolicySnapshot:
    wanted = policy_id or insp.policy_id
    pinned = insp.policies.get(wanted)
    if pinned is not None:
        return pinned
    return policy_snapshot(ctx.catalog, wanted)


@dataclass
class _Loaded:
    insp: Inspection
    results: list[tuple[str, str, str]]
    issues: list[Issue]
    progress: Progress
    unresolved: int
    assets: list[Asset]
    corrections: list[Correction]
    majors: list[MajorRiskJudgement]

    @property
    def importance(self) -> dict[str, str]:
        return {a.id: a.importance for a in self.assets}


def _load_for_scoring(ctx: Context, inspection_id: str) -> _Loaded:
    with read_db(ctx) as db:
        insp = need_inspection(db, inspection_id)
        results = db_assess.current_results(db, inspection_id)
        ratings = db_assess.issue_ratings(db, inspection_id)
        cases = cases_of(db, inspection_id)
        assets = [a for a in (db_assess.get_asset(db, aid) for aid in insp.asset_ids) if a is not None]
        unresolved = int(
            db.execute(
                "SELECT COUNT(*) FROM finding_current WHERE inspection_id = ? AND disputed", (inspection_id,)
            ).fetchone()[0]
        )
        corrections = db_judge.corrections(db, inspection_id)
        majors = judgements_in(db, inspection_id)
    issues = derive_issues(insp, results, ratings, cases)
    progress = progress_of(insp.items, assets, {(i, a): None for i, a, _r in results})
    return _Loaded(insp, results, issues, progress, unresolved, assets, corrections, majors)


def _pins(insp: Inspection) -> dict[str, str]:
    return {**insp.pins, "catalog": insp.catalog_sha256}


def score(ctx: Context, inspection_id: str, policy_id: str | None = None) -> ScoreResult:
    """The inspection's score and conclusion under ``policy_id`` (default: the inspection's policy).

    Policies pinned at opening score with their pinned parameters; any other catalog policy may be named too,
    and is used as the catalog holds it now (its hash is in the result).
    """
    loaded = _load_for_scoring(ctx, inspection_id)
    policy = _policy_for(ctx, loaded.insp, policy_id)
    tally = Tally.from_results(loaded.insp.items, loaded.results, loaded.importance)
    return scoring.score(
        tally,
        policy,
        [IssueRisk.of(i) for i in loaded.issues],
        progress=loaded.progress,
        pins=_pins(loaded.insp),
        unresolved=loaded.unresolved,
        corrections=loaded.corrections,
        major_risks=loaded.majors,
    )


# Every (effective risk, major) pair an issue can have, built once: a live rescore reads each issue's pair
# instead of constructing a frozen dataclass per issue (that was about half the rescoring time).
_RISKS: dict[tuple[str | None, bool], IssueRisk] = {
    (risk, major): IssueRisk(risk, major) for risk in (None, *RISK_LEVELS) for major in (False, True)
}


class LiveScore:
    """A score kept up to date as results come in (the TUI's live view): O(1) per result, O(items) per read.

    Feed it what the user records (``record``, ``rate``) after the use case succeeded; ``result()`` rescores.
    """

    def __init__(
        self,
        insp: Inspection,
        policy: PolicySnapshot,
        tally: Tally,
        issues: dict[tuple[str, str], Issue],
        cases: dict[str, list[CaseRule]],
        assets: list[Asset],
        unresolved: int,
        corrections: list[Correction] | None = None,
        majors: list[MajorRiskJudgement] | None = None,
    ) -> None:
        self.inspection = insp
        self.policy = policy
        self.tally = tally
        self.issues = issues
        self._cases = cases
        self._kind_of = {a.id: a.kind for a in assets}
        self._category = {i.id: i.category for i in insp.items}
        base = progress_of(insp.items, assets, tally.current)
        self._applicable = base.applicable
        self._by_category = {k: list(v) for k, v in base.by_category.items()}
        self._recorded = base.recorded
        self.unresolved = unresolved
        self.corrections = list(corrections or [])
        self.majors = list(majors or [])

    def record(self, item_id: str, asset_id: str, result: str) -> None:
        key = (item_id, asset_id)
        category = self._category.get(item_id)
        if key not in self.tally.current and category is not None and asset_id in self._kind_of:
            self._recorded += 1
            self._by_category[category][0] += 1
        self.tally.set(item_id, asset_id, result)
        if result in ISSUE_RESULTS:
            s = suggest(self._cases, self.inspection.level, item_id, result)
            old = self.issues.get(key)
            self.issues[key] = Issue(
                self.inspection.id,
                item_id,
                asset_id,
                result,  # type: ignore[arg-type]
                s.risk,
                s.cases,
                old.risk if old else None,
                old.compensation if old else "",
                old.reason if old else "",
                old.major if old else False,
                old.rated_by if old else None,
                old.rated_at if old else None,
            )
        else:
            self.issues.pop(key, None)

    def forget(self, item_id: str, asset_id: str) -> None:
        """The pair has no result any more (a retraction): the reverse of ``record``."""
        key = (item_id, asset_id)
        category = self._category.get(item_id)
        if key in self.tally.current and category is not None and asset_id in self._kind_of:
            self._recorded -= 1
            self._by_category[category][0] -= 1
        self.tally.remove(item_id, asset_id)
        self.issues.pop(key, None)

    def rate(self, item_id: str, asset_id: str, risk: str, *, major: bool = False) -> None:
        old = self.issues.get((item_id, asset_id))
        if old is not None:
            self.issues[(item_id, asset_id)] = Issue(
                old.inspection_id,
                old.item_id,
                old.asset_id,
                old.result,
                old.suggested,
                old.cases,
                risk,  # type: ignore[arg-type]
                old.compensation,
                old.reason,
                major,
                old.rated_by,
                old.rated_at,
            )

    def result(self) -> ScoreResult:
        progress = Progress(
            self._recorded, self._applicable, {k: (r, a) for k, (r, a) in self._by_category.items()}
        )
        return scoring.score(
            self.tally,
            self.policy,
            [_RISKS.get((i.effective, i.major)) or IssueRisk.of(i) for i in self.issues.values()],
            progress=progress,
            pins=_pins(self.inspection),
            unresolved=self.unresolved,
            corrections=self.corrections,
            major_risks=self.majors,
        )


def live_score(ctx: Context, inspection_id: str, policy_id: str | None = None) -> LiveScore:
    """A ``LiveScore`` loaded with the inspection's current results."""
    loaded = _load_for_scoring(ctx, inspection_id)
    with read_db(ctx) as db:
        cases = cases_of(db, inspection_id)
    return LiveScore(
        loaded.insp,
        _policy_for(ctx, loaded.insp, policy_id),
        Tally.from_results(loaded.insp.items, loaded.results, loaded.importance),
        {(i.item_id, i.asset_id): i for i in loaded.issues},
        cases,
        loaded.assets,
        loaded.unresolved,
        loaded.corrections,
        loaded.majors,
    )
