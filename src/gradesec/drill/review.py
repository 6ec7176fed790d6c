"""The after-action review as data: what the report shows, in both languages, from a scored drill.

The PDF layout lives in ``gradesec.report.aar``; here are the facts and sentences it lays out, so that they
can be tested without a PDF and reused by the TUI.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gradesec.catalog.scenario import Scenario
from gradesec.drill.clock import format_elapsed
from gradesec.drill.model import DrillRecord
from gradesec.drill.scoring import DrillScore
from gradesec.i18n import t


@dataclass(frozen=True)
class ReviewData:
    """Everything the after-action report needs; ``links`` names the checklist items and controls cited."""

    scenario: Scenario
    record: DrillRecord
    score: DrillScore
    title: dict[str, str]
    links: dict[str, dict[str, str]] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)  # key id -> name
    store_id: str = ""


@dataclass(frozen=True)
class TimelineRow:
    elapsed_ms: int
    kind: str  # release | mark | observation | paused | resumed | closed
    text: str


def timeline(data: ReviewData, lang: str) -> list[TimelineRow]:
    scen, rec = data.scenario, data.record
    rows: list[tuple[int, int, TimelineRow]] = []
    for rel in rec.releases.values():
        how = t("drill.aar.manual", lang=lang) if rel.manual else ""
        text = f"{rel.inject} {scen.inject(rel.inject).title.get(lang)}{how}"
        rows.append((rel.elapsed_ms, 0, TimelineRow(rel.elapsed_ms, "release", text)))
    for mark in rec.marks.values():
        _inj, exp = scen.expectation(mark.expectation)
        note = f" — {mark.note}" if mark.note else ""
        status = t(f"drill.mark.{mark.status}", lang=lang)
        text = f"{mark.expectation} {status}: {exp.action.get(lang)}{note}"
        rows.append((mark.elapsed_ms, 1, TimelineRow(mark.elapsed_ms, "mark", text)))
    for obs in rec.observations:
        team = next((tm.name for tm in rec.teams if tm.id == obs.team), None)
        who = f"[{team}] " if team else ""
        text = f"{t('drill.obs.' + obs.kind, lang=lang)}: {who}{obs.text}"
        rows.append((obs.elapsed_ms, 2, TimelineRow(obs.elapsed_ms, "observation", text)))
    for pz in rec.pauses:
        rows.append(
            (pz.elapsed_ms, 3, TimelineRow(pz.elapsed_ms, pz.kind, t(f"drill.event.{pz.kind}", lang=lang)))
        )
    if rec.closed_elapsed_ms is not None:
        ms = rec.closed_elapsed_ms
        rows.append((ms, 4, TimelineRow(ms, "closed", t("drill.event.closed", lang=lang))))
    rows.sort(key=lambda r: (r[0], r[1]))
    return [r[2] for r in rows]


def strengths(data: ReviewData, lang: str) -> list[str]:
    """What went well: achieved objectives, expectations met fastest, and the evaluators' strengths."""
    out: list[str] = []
    sc = data.score
    for obj in data.scenario.objectives:
        if sc.objective_achieved(obj.id):
            pct = sc.objectives[obj.id].percent
            out.append(
                t("drill.aar.objective_met", lang=lang, id=obj.id, text=obj.text.get(lang), pct=f"{pct:.1f}")
            )
    # The three expectations met with the most time to spare, relative to their deadlines.
    quick = []
    for e in sc.expectations:
        if e.status == "met" and not e.late and e.response_ms is not None:
            _inj, exp = data.scenario.expectation(e.id)
            quick.append((e.response_ms / (exp.deadline * 60_000), e.id, e, exp))
    quick.sort(key=lambda q: (q[0], q[1]))
    for _ratio, _id, e, exp in quick[:3]:
        out.append(
            t(
                "drill.aar.quick",
                lang=lang,
                action=exp.action.get(lang),
                time=format_elapsed(e.response_ms),
                deadline=f"{exp.deadline:g}",
            )
        )
    out += [o.text for o in data.record.observations if o.kind == "strength"]
    return out


def gaps(data: ReviewData, lang: str) -> list[str]:
    """Areas for improvement: objectives not achieved, expectations missed, and the evaluators' points."""
    out: list[str] = []
    sc = data.score
    for obj in data.scenario.objectives:
        if sc.objective_achieved(obj.id) is False:
            pct = sc.objectives[obj.id].percent
            out.append(
                t(
                    "drill.aar.objective_missed",
                    lang=lang,
                    id=obj.id,
                    text=obj.text.get(lang),
                    pct=f"{pct:.1f}",
                    mark=f"{sc.pass_mark:g}",
                )
            )
    for e in sc.expectations:
        if not e.counted or (e.status == "met" and not e.late):
            continue
        _inj, exp = data.scenario.expectation(e.id)
        outcome = "late" if e.status == "met" else e.status
        out.append(t(f"drill.aar.gap.{outcome}", lang=lang, id=e.id, action=exp.action.get(lang)))
    out += [o.text for o in data.record.observations if o.kind == "improvement"]
    return out


def not_released(data: ReviewData) -> list[str]:
    return [i.id for i in data.scenario.injects if i.id not in data.record.releases]
