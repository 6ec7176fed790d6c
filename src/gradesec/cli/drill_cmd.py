"""``gradesec drill …``: list, show, run (TUI or scripted), score, report (what show and score print: ``drill_show``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from gradesec.cli import common
from gradesec.cli import drill_show as view
from gradesec.cli.options import ForceOpt
from gradesec.errors import UsageError
from gradesec.i18n import get_lang, t
from gradesec.localtime import local_time

if TYPE_CHECKING:
    from gradesec.journal.store import Store
    from gradesec.usecases.context import Context

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
            scenario.model_dump(mode="json", by_alias=True, exclude_none=True),
            lambda: view.print_scenario(ident),
        )
        return
    store = _open_store()
    try:
        loaded = drills.load_drill(store, ident)
        result = score(loaded.scenario, loaded.record)
    finally:
        store.close()
    data = view.drill_json(loaded, result)
    common.emit(data, lambda: view.print_drill(loaded, result))


@group.command("score", help=t("drill.cli.score"))
def score_cmd(drill_id: Annotated[str, typer.Argument(help=t("drill.cli.arg.drill"))]) -> None:
    from gradesec.usecases import drills

    store = _open_store()
    try:
        result = drills.drill_score(store, drill_id)
    finally:
        store.close()
    common.emit(result.as_json(), lambda: view.print_score(result))


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
        view.print_score(result)
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
