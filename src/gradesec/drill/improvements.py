"""Turn a drill's gaps into improvement items that the remediation board tracks like inspection issues.

At close, every counted expectation that was missed, partial or late becomes an improvement, and so does every
``improvement`` observation the evaluators wrote. The risk follows the most important objective the
expectation served (high → high …); a partial or late result is one step lower than a miss.
"""

from __future__ import annotations

from gradesec.catalog.scenario import Scenario
from gradesec.drill.model import DrillRecord, Improvement, Risk
from gradesec.drill.scoring import DrillScore
from gradesec.i18n import t

_ORDER: tuple[Risk, ...] = ("high", "medium", "low")


def _lower(risk: Risk) -> Risk:
    return _ORDER[min(_ORDER.index(risk) + 1, len(_ORDER) - 1)]


def improvement_id(drill_id: str, n: int) -> str:
    return f"{drill_id}-I{n:02d}"


def derive(scenario: Scenario, record: DrillRecord, result: DrillScore, start: int = 1) -> list[Improvement]:
    """Improvements for the gaps in ``result`` (ids numbered from ``start``)."""
    out: list[Improvement] = []
    n = start
    already = {imp.source.get("expectation") for imp in record.improvements} | {
        imp.source.get("observation") for imp in record.improvements
    }
    for exp_score in result.expectations:
        if not exp_score.counted or exp_score.id in already:
            continue
        if exp_score.status == "met" and not exp_score.late:
            continue
        inject, exp = scenario.expectation(exp_score.id)
        priorities = [scenario.objective(o).priority for o in exp.objectives]
        risk: Risk = min(priorities, key=_ORDER.index)
        outcome = (
            "missed" if exp_score.status == "missed" else ("late" if exp_score.status == "met" else "partial")
        )
        if outcome != "missed":
            risk = _lower(risk)
        title = {
            lang: t(f"drill.improve.title.{outcome}", lang=lang, action=exp.action.get(lang))
            for lang in ("zh", "en")
        }
        detail = {
            lang: t(
                "drill.improve.detail",
                lang=lang,
                inject=inject.title.get(lang),
                role=scenario.role(exp.role).name.get(lang),
                note=exp_score.note or "-",
            )
            for lang in ("zh", "en")
        }
        links = tuple(inject.links or scenario.links)
        out.append(
            Improvement(
                improvement_id(record.id, n),
                title,
                risk,
                links,
                None,
                detail,
                {"origin": "expectation", "expectation": exp.id, "inject": inject.id, "outcome": outcome},
            )
        )
        n += 1
    for obs in record.observations:
        key = obs.key
        if obs.kind != "improvement" or key in already:
            continue
        out.append(
            Improvement(
                improvement_id(record.id, n),
                {"zh": obs.text, "en": obs.text},
                "medium",
                tuple(scenario.links),
                None,
                None,
                {"origin": "observation", "observation": key},
            )
        )
        n += 1
    return out
