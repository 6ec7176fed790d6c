"""``gradesec drill …``: list, show, run (TUI or scripted), score, report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from gradesec.cli import common
from gradesec.cli.options import ForceOpt
from gradesec.errors import UsageError
from gradesec.i18n import get_lang, t
from gradesec.localtime import local_time

if TYPE_CHECKING:
    from gradesec.drill.scoring import DrillScore
    from gradesec.journal.store import Store
    from gradesec.usecases.context import Context
    from gradesec.usecases.drills import LoadedDrill

group = typer.Typer(help=t("drill.cli.help"), no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="drill")


def _open_store() -> Store:
    from gradesec.cli.journal_cmd import open_store

    return open_store()


def _write_ctx() -> Context:
    """The store, the catalog and the user's unlocked key; a missing store is made with the user as owner."""
    from gradesec.cli.journal_cmd import load_signer
    from gradesec.usecases.context import open_context

    catalog = common.catalog()
    signer = load_signer(None)
    return open_context(common.OPTIONS.store_dir, signer=signer, create=True, catalog=catalog)


def _ms(value: int | None) -> str:
    from gradesec.drill.clock import format_elapsed

    return format_elapsed(value)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


@group.command("list", help=t("drill.cli.list"))
def list_cmd(
    scenarios_only: Annotated[bool, typer.Option("--scenarios", help=t("drill.cli.opt.scenarios"))] = False,
) -> None:
    from gradesec.usecases import drills

    lang = get_lang()
    cat = common.catalog()
    scen: list[dict[str, Any]] = [
        {
            "id": s.id,
            "title": s.title.as_dict(),
            "injects": len(s.injects),
            "expectations": sum(1 for _ in s.expectations()),
            "points": s.total_points(),
            "duration": s.duration,
            "sha256": cat.hash_of("scenario", s.id),
        }
        for s in drills.scenarios(cat)
    ]
    runs: list[dict[str, Any]] = []
    if not scenarios_only and (common.OPTIONS.store_dir / "gradesec.db").exists():
        store = _open_store()
        try:
            runs = [d.as_json() for d in drills.list_drills(store)]
        finally:
            store.close()

    def human() -> None:
        common.echo(t("drill.cli.scenarios"))
        common.table(
            [
                t("drill.head.id"),
                t("drill.head.title"),
                t("drill.head.injects"),
                t("drill.head.points"),
                t("drill.head.minutes"),
            ],
            [
                [s["id"], s["title"][lang], str(s["injects"]), str(s["points"]), f"{s['duration']:g}"]
                for s in scen
            ],
        )
        if scenarios_only:
            return
        common.echo()
        common.echo(t("drill.cli.drills"))
        if not runs:
            common.echo(t("drill.cli.no_drills"))
            return
        common.table(
            [
                t("drill.head.id"),
                t("drill.head.scenario"),
                t("drill.head.status"),
                t("drill.head.started"),
                t("drill.head.teams"),
            ],
            [
                [
                    r["id"],
                    r["scenario"],
                    t(f"drill.status.{r['status']}"),
                    local_time(r["started_at"]),
                    str(r["teams"]),
                ]
                for r in runs
            ],
        )

    common.emit({"scenarios": scen, "drills": runs}, human)


@group.command("show", help=t("drill.cli.show"))
def show_cmd(ident: Annotated[str, typer.Argument(help=t("drill.cli.arg.ident"))]) -> None:
    from gradesec.drill.scoring import score
    from gradesec.usecases import drills

    cat = common.catalog()
    if ident in cat.extras.get("scenario", {}):
        scenario = drills.find_scenario(cat, ident)
        common.emit(
            scenario.model_dump(mode="json", by_alias=True, exclude_none=True), lambda: _print_scenario(ident)
        )
        return
    store = _open_store()
    try:
        loaded = drills.load_drill(store, ident)
        result = score(loaded.scenario, loaded.record)
    finally:
        store.close()
    data = _drill_json(loaded, result)
    common.emit(data, lambda: _print_drill(loaded, result))


def _print_scenario(scenario_id: str) -> None:
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


def _drill_json(loaded: LoadedDrill, result: DrillScore) -> dict[str, Any]:
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


def _print_drill(loaded: LoadedDrill, result: DrillScore) -> None:
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
    for kind, ms, text in _timeline(loaded):
        common.echo(f"  {_ms(ms):>8}  {t('drill.event.' + kind)}  {text}")
    common.echo()
    _print_score(result)
    if rec.improvements:
        common.echo()
        common.echo(t("drill.cli.improvements"))
        for imp in rec.improvements:
            common.echo(f"  {imp.id}  [{t('drill.risk.' + imp.risk)}]  {imp.title[lang]}")


def _timeline(loaded: LoadedDrill) -> list[tuple[str, int, str]]:
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


def _print_score(result: DrillScore) -> None:
    o = result.overall
    common.echo(
        t(
            "drill.cli.overall",
            earned=f"{o.earned:g}",
            possible=f"{o.possible:g}",
            pct=_pct(o.percent),
            weighted=_pct(result.weighted_percent),
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
                _pct(v.percent),
                f"{v.counts['met']}/{v.counts['partial']}/{v.counts['missed']}",
                _ms(v.as_json()["mean_first_action_ms"]),
                _ms(v.as_json()["mean_to_met_ms"]),
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
                _pct(v.percent),
                t("drill.passed." + str(result.objective_achieved(k)).lower()),
            ]
            for k, v in result.objectives.items()
        ],
    )


@group.command("score", help=t("drill.cli.score"))
def score_cmd(drill_id: Annotated[str, typer.Argument(help=t("drill.cli.arg.drill"))]) -> None:
    from gradesec.usecases import drills

    store = _open_store()
    try:
        result = drills.drill_score(store, drill_id)
    finally:
        store.close()
    common.emit(result.as_json(), lambda: _print_score(result))


@group.command("run", help=t("drill.cli.run"))
def run_cmd(
    scenario: Annotated[str | None, typer.Argument(help=t("drill.cli.arg.scenario"))] = None,
    script: Annotated[Path | None, typer.Option("--script", help=t("drill.cli.opt.script"))] = None,
) -> None:
    if script is None:
        if scenario is None:
            raise UsageError(t("drill.cli.need_scenario"), t("drill.cli.need_scenario.hint"))
        _run_tui(scenario)
        return
    from gradesec.drill.scoring import score
    from gradesec.drill.script import load_script
    from gradesec.usecases import drills

    parsed = load_script(script)
    if scenario is not None and scenario != parsed.scenario:
        raise UsageError(
            t("drill.cli.script_mismatch", file=str(script), scenario=parsed.scenario, given=scenario),
            t("drill.cli.script_mismatch.hint"),
        )
    ctx = _write_ctx()
    try:
        drills.find_scenario(ctx.catalog, parsed.scenario)
        with common.progress(len(parsed.actions), t("drill.cli.running")) as advance:
            drill_id = drills.run_script(ctx, parsed, advance)
        loaded = drills.load_drill(ctx.store, drill_id)
        result = score(loaded.scenario, loaded.record)
    finally:
        ctx.store.close()

    def human() -> None:
        common.echo(t("drill.cli.ran", id=drill_id, n=len(parsed.actions)))
        _print_score(result)
        if loaded.record.improvements:
            common.echo()
            common.echo(t("drill.cli.raised", n=len(loaded.record.improvements)))

    common.emit(
        {
            "drill": drill_id,
            "score": result.as_json(),
            "improvements": [i.as_json() for i in loaded.record.improvements],
        },
        human,
    )


def _run_tui(scenario: str) -> None:
    from gradesec.usecases import drills

    drills.find_scenario(common.catalog(), scenario)  # a wrong id is a usage problem, before the terminal
    try:
        from gradesec.tui.screens.drill_runner import run_drill_tui
    except ImportError as exc:
        raise UsageError(t("drill.cli.no_tui"), t("drill.cli.no_tui.hint")) from exc
    run_drill_tui(common.OPTIONS.store_dir, scenario, common.OPTIONS.catalog_dirs)


@group.command("report", help=t("drill.cli.report"))
def report_cmd(
    drill_id: Annotated[str, typer.Argument(help=t("drill.cli.arg.drill"))],
    output: Annotated[Path, typer.Option("--output", "-o", help=t("drill.cli.opt.output"))],
    lang: Annotated[str | None, typer.Option("--report-lang", help=t("drill.cli.opt.report_lang"))] = None,
    force: ForceOpt = False,
) -> None:
    from gradesec.outputs import check_output, writing
    from gradesec.report.aar import build_aar
    from gradesec.usecases import drills

    report_lang = lang or get_lang()
    if report_lang not in ("zh", "en"):
        raise UsageError(t("error.bad_lang", lang=report_lang), t("error.bad_lang.hint"))
    if output.suffix.lower() != ".pdf":
        raise UsageError(t("drill.cli.not_pdf", file=str(output)), t("drill.cli.not_pdf.hint"))
    check_output(output, force=force)
    store = _open_store()
    try:
        data = drills.report_data(store, common.catalog(), drill_id)
    finally:
        store.close()
    with writing(output, force=force) as tmp, common.progress(1, t("drill.cli.building")) as advance:
        build_aar(data, tmp, report_lang)
        advance(1)
    common.emit(
        {"drill": drill_id, "output": str(output), "lang": report_lang},
        t("drill.cli.report_written", file=str(output)),
    )
