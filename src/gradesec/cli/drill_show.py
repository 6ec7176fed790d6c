"""What ``gradesec drill show`` and ``drill score`` print: a scenario, a drill with its timeline, and its scores
(and the JSON form of a drill). The commands are in ``drill_cmd``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gradesec.cli import common
from gradesec.i18n import get_lang, t
from gradesec.localtime import local_time

if TYPE_CHECKING:
    from gradesec.drill.scoring import DrillScore
    from gradesec.usecases.drills import LoadedDrill


def elapsed(value: int | None) -> str:
    from gradesec.drill.clock import format_elapsed

    return format_elapsed(value)


def pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def print_scenario(scenario_id: str) -> None:
    from gradesec.usecases import drills

    lang = get_lang()
    s = drills.find_scenario(common.catalog(), scenario_id)
    common.echo(f"{s.id}  {s.title.get(lang)}")
    common.echo(s.summary.get(lang))
    common.echo()
    common.echo(t("drill.cli.objectives"))
    for obj in s.objectives:
        common.echo(f"  {obj.id} [{t('drill.priority.' + obj.priority)}] {obj.text.get(lang)}")
    common.echo(t("drill.cli.roles"))
    for role in s.roles:
        common.echo(f"  {role.id}  {role.name.get(lang)}")
    common.echo(t("drill.cli.injects"))
    for inj in s.injects:
        after = f" ← {', '.join(inj.after)}" if inj.after else ""
        common.echo(f"  {inj.id}  +{inj.at:g}′{after}  {inj.title.get(lang)}")
        for exp in inj.expectations:
            common.echo(
                f"      {exp.id} ({exp.role}, {exp.deadline:g}′, {exp.points}) {exp.action.get(lang)}"
            )


def drill_json(loaded: LoadedDrill, result: DrillScore) -> dict[str, Any]:
    rec = loaded.record
    return {
        "id": rec.id,
        "scenario": rec.scenario,
        "scenario_sha256": rec.scenario_sha256,
        "title": loaded.title,
        "status": rec.status,
        "started_at": rec.started_at,
        "closed_at": rec.closed_at,
        "teams": [tm.as_json() for tm in rec.teams],
        "releases": [
            {"inject": r.inject, "elapsed_ms": r.elapsed_ms, "manual": r.manual}
            for r in rec.releases.values()
        ],
        "marks": [
            {
                "expectation": m.expectation,
                "status": m.status,
                "elapsed_ms": m.elapsed_ms,
                "note": m.note,
                "evaluator": m.evaluator,
            }
            for m in rec.marks.values()
        ],
        "observations": [
            {"kind": o.kind, "text": o.text, "elapsed_ms": o.elapsed_ms, "team": o.team, "inject": o.inject}
            for o in rec.observations
        ],
        "improvements": [imp.as_json() for imp in rec.improvements],
        "score": result.as_json(),
    }


def print_drill(loaded: LoadedDrill, result: DrillScore) -> None:
    lang = get_lang()
    rec = loaded.record
    common.echo(f"{rec.id}  {loaded.title.get(lang, '')}  [{t('drill.status.' + rec.status)}]")
    common.echo(t("drill.cli.started", at=local_time(rec.started_at), scenario=rec.scenario))
    common.echo()
    common.echo(t("drill.cli.teams"))
    for tm in rec.teams:
        people = ", ".join(p.name for p in tm.participants) or "-"
        common.echo(f"  {tm.id}  {tm.name}  ({', '.join(tm.roles)})  {people}")
    common.echo()
    common.echo(t("drill.cli.timeline"))
    for kind, at_ms, text in timeline(loaded):
        common.echo(f"  {elapsed(at_ms):>8}  {t('drill.event.' + kind)}  {text}")
    common.echo()
    print_score(result)
    if rec.improvements:
        common.echo()
        common.echo(t("drill.cli.improvements"))
        for imp in rec.improvements:
            common.echo(f"  {imp.id}  [{t('drill.risk.' + imp.risk)}]  {imp.title[lang]}")


def timeline(loaded: LoadedDrill) -> list[tuple[str, int, str]]:
    """Everything that happened, in drill time: (kind, elapsed ms, text)."""
    lang = get_lang()
    scen = loaded.scenario
    rec = loaded.record
    rows: list[tuple[str, int, str]] = []
    for rel in rec.releases.values():
        rows.append(("release", rel.elapsed_ms, f"{rel.inject} {scen.inject(rel.inject).title.get(lang)}"))
    for mark in rec.marks.values():
        _inj, exp = scen.expectation(mark.expectation)
        note = f" — {mark.note}" if mark.note else ""
        rows.append(
            (
                "mark",
                mark.elapsed_ms,
                f"{mark.expectation} {t('drill.mark.' + mark.status)}: {exp.action.get(lang)}{note}",
            )
        )
    for obs in rec.observations:
        who = f"[{obs.team}] " if obs.team else ""
        rows.append(("observation", obs.elapsed_ms, f"{t('drill.obs.' + obs.kind)}: {who}{obs.text}"))
    for pz in rec.pauses:
        rows.append((pz.kind, pz.elapsed_ms, ""))
    if rec.closed_elapsed_ms is not None:
        rows.append(("closed", rec.closed_elapsed_ms, ""))
    order = {"release": 0, "mark": 1, "observation": 2, "paused": 3, "resumed": 4, "closed": 5}
    rows.sort(key=lambda r: (r[1], order[r[0]]))
    return rows


def print_score(result: DrillScore) -> None:
    o = result.overall
    common.echo(
        t(
            "drill.cli.overall",
            earned=f"{o.earned:g}",
            possible=f"{o.possible:g}",
            pct=pct(o.percent),
            weighted=pct(result.weighted_percent),
            passed=t("drill.passed." + str(result.passed).lower()),
        )
    )
    common.table(
        [
            t("drill.head.team"),
            t("drill.head.score"),
            t("drill.head.percent"),
            t("drill.head.met"),
            t("drill.head.first_action"),
            t("drill.head.to_met"),
        ],
        [
            [
                k,
                f"{v.earned:g}/{v.possible:g}",
                pct(v.percent),
                f"{v.counts['met']}/{v.counts['partial']}/{v.counts['missed']}",
                elapsed(v.as_json()["mean_first_action_ms"]),
                elapsed(v.as_json()["mean_to_met_ms"]),
            ]
            for k, v in result.teams.items()
        ],
    )
    common.echo()
    common.table(
        [
            t("drill.head.objective"),
            t("drill.head.priority"),
            t("drill.head.score"),
            t("drill.head.percent"),
            t("drill.head.achieved"),
        ],
        [
            [
                k,
                t("drill.priority." + result.objective_priority[k]),
                f"{v.earned:g}/{v.possible:g}",
                pct(v.percent),
                t("drill.passed." + str(result.objective_achieved(k)).lower()),
            ]
            for k, v in result.objectives.items()
        ],
    )
