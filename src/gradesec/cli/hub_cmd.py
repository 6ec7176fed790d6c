"""``gradesec hub init|trust|ingest|verify``: the city hub on PostgreSQL (``--db`` or ``GRADESEC_HUB``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from gradesec.cli import common
from gradesec.errors import GradesecError
from gradesec.i18n import t

group = typer.Typer(help=t("hub.cli.help"), no_args_is_help=True)

DbOption = Annotated[str | None, typer.Option("--db", help=t("hub.cli.opt.db"), envvar="GRADESEC_HUB")]


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="hub")


def _open(db: str | None, *, schema: bool = True) -> Any:
    from gradesec.hub.db import connect, hub_url, need_schema

    conn = connect(hub_url(db))
    if schema:
        need_schema(conn)
    return conn


@group.command("init", help=t("hub.cli.init"))
def init_cmd(db: DbOption = None) -> None:
    from gradesec.hub.schema import migrate

    with _open(db, schema=False) as conn:
        before, after = migrate(conn)
    common.emit({"before": before, "version": after}, t("hub.init.done", before=before, after=after))


@group.command("trust", help=t("hub.cli.trust"))
def trust_cmd(
    keyfile: Annotated[Path, typer.Argument(help=t("hub.cli.arg.keyfile"))],
    unit: Annotated[str | None, typer.Option("--unit", help=t("hub.cli.opt.unit"))] = None,
    body: Annotated[str | None, typer.Option("--body", help=t("hub.cli.opt.body"))] = None,
    db: DbOption = None,
) -> None:
    from gradesec.errors import NotFoundError
    from gradesec.hub.db import register as register_key
    from gradesec.journal.keys import format_key_id, read_public

    try:
        data = keyfile.read_bytes()
    except OSError as exc:
        raise NotFoundError(
            t("hub.error.keyfile", path=str(keyfile), detail=exc.strerror or str(exc)),
            t("hub.error.keyfile.hint"),
        ) from None
    key = read_public(data, str(keyfile))
    with _open(db) as conn:
        register_key(conn, key, unit=unit, body=body)
    scope = t("hub.trust.unit", unit=unit) if unit else t("hub.trust.body", body=body)
    common.emit(
        {"key_id": key.key_id, "name": key.identity.name, "unit": unit, "body": body},
        t("hub.trust.done", key=format_key_id(key.key_id), name=key.identity.name, scope=scope),
    )


@group.command("ingest", help=t("hub.cli.ingest"))
def ingest_cmd(
    bundles: Annotated[list[Path], typer.Argument(help=t("hub.cli.arg.bundles"))],
    key: Annotated[str | None, typer.Option("--key", help=t("hub.cli.opt.key"))] = None,
    db: DbOption = None,
) -> None:
    from gradesec.exchange.sealed import is_sealed
    from gradesec.hub.ingest import ingest

    opener = None
    if any(is_sealed(p) for p in bundles):
        from gradesec.cli.journal_cmd import load_signer

        opener = load_signer(key)

    results: list[dict[str, Any]] = []
    refused = 0
    with _open(db) as conn:
        for path in bundles:
            try:
                got = ingest(conn, path, opener)
            except GradesecError as exc:
                refused += 1
                results.append({"bundle": str(path), "refused": exc.message, "hint": exc.hint})
                if not common.OPTIONS.json:
                    common.echo(t("hub.ingest.refused", path=str(path), reason=exc.message))
                continue
            results.append(
                {"bundle": str(path), "new": got.new_events, "known": got.known_events, "noop": got.noop}
            )
            if not common.OPTIONS.json:
                key = "hub.ingest.noop" if got.noop else "hub.ingest.done"
                common.echo(t(key, path=str(path), new=got.new_events, known=got.known_events))
    if common.OPTIONS.json:
        common.emit({"bundles": results, "refused": refused})
    if refused:
        raise typer.Exit(1)


@group.command("verify", help=t("hub.cli.verify"))
def verify_cmd(db: DbOption = None) -> None:
    from gradesec.hub.verify import verify_hub

    with _open(db) as conn:
        result = verify_hub(conn)
    if common.OPTIONS.json:
        common.emit({"ok": result.ok, "events": result.events, "problems": result.problems})
    else:
        for line in result.problems:
            common.echo(line)
        common.echo(
            t("hub.verify.ok", events=result.events)
            if result.ok
            else t("hub.verify.failed", n=len(result.problems))
        )
    if not result.ok:
        raise typer.Exit(1)


PolicyOption = Annotated[Path | None, typer.Option("--policy", help=t("hubdash.cli.opt.policy"))]


def _day(value: str | None) -> Any:
    from datetime import date

    from gradesec.errors import UsageError
    from gradesec.journal.clock import default_clock

    if value is None:
        return default_clock()().date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(t("hubdash.error.day", value=value), t("hubdash.error.day.hint")) from None


@group.command("dashboard", help=t("hubdash.cli.dashboard"))
def dashboard_cmd(
    db: DbOption = None,
    policy: PolicyOption = None,
    today: Annotated[str | None, typer.Option("--today", help=t("hubdash.cli.opt.today"))] = None,
    serve: Annotated[bool, typer.Option("--serve", help=t("hubdash.cli.opt.serve"))] = False,
    host: Annotated[str, typer.Option("--host", help=t("hubdash.cli.opt.host"))] = "localhost",
    port: Annotated[int, typer.Option("--port", help=t("hubdash.cli.opt.port"))] = 8000,
) -> None:
    from gradesec.hub.city import LiveCity
    from gradesec.hub.evaluation import load_policy

    rules = load_policy(policy)
    day = _day(today)
    if serve:
        from gradesec.hub.db import hub_url
        from gradesec.tui.hub.serve import serve_dashboard

        url = hub_url(db)
        _open(url).close()  # refuse a wrong URL or schema here, not in every browser tab
        serve_dashboard(url, day, policy, host, port)
        return
    from gradesec.tui.hub.dashboard import HubDashboardApp

    with _open(db) as conn:
        HubDashboardApp(LiveCity(conn, day, rules)).run()


@group.command("demo", help=t("hub.cli.demo"))
def demo_cmd(
    units: Annotated[int, typer.Option("--units", min=1, max=5000, help=t("hub.cli.opt.units"))] = 200,
    systems: Annotated[
        int, typer.Option("--systems-per-unit", min=1, max=20, help=t("hub.cli.opt.systems_per_unit"))
    ] = 5,
    findings: Annotated[int, typer.Option("--findings", min=1, max=500, help=t("hub.cli.opt.findings"))] = 24,
    seed: Annotated[int, typer.Option("--seed", help=t("hub.cli.opt.seed"))] = 1,
    work: Annotated[Path | None, typer.Option("--work", help=t("hub.cli.opt.work"))] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, max=16, help=t("hub.cli.opt.workers"))] = 1,
    db: DbOption = None,
) -> None:
    import shutil
    import tempfile
    import time

    from gradesec.catalog.loader import load_catalog
    from gradesec.hub.db import register as register_key
    from gradesec.hub.ingest import ingest
    from gradesec.hub.schema import migrate
    from gradesec.hub.simulate import build_city

    def say(line: str) -> None:
        if not common.OPTIONS.json:
            common.echo(line)

    with _open(db, schema=False) as conn:
        migrate(conn)
        folder = work or Path(tempfile.mkdtemp(prefix="gradesec-demo-"))
        try:
            say(t("hub.demo.catalog"))
            catalog = load_catalog() if workers == 1 else None
            say(t("hub.demo.building", units=units, systems=systems))
            start = time.perf_counter()
            city = build_city(
                folder,
                catalog,
                seed=seed,
                units=units,
                systems=systems,
                findings=findings,
                progress=say,
                workers=workers,
            )
            say(
                t(
                    "hub.demo.built",
                    bundles=len(city.bundles),
                    events=city.events,
                    inspections=city.inspections,
                    retests=city.retests,
                    drills=city.drills,
                    seconds=f"{time.perf_counter() - start:.0f}",
                )
            )
            for reg in city.trust:
                register_key(conn, reg.key, unit=reg.unit, body=reg.body)
            start = time.perf_counter()
            new = 0
            for n, path in enumerate(city.bundles, start=1):
                new += ingest(conn, path).new_events
                if n % 20 == 0 or n == len(city.bundles):
                    say(t("hub.demo.ingested", done=n, total=len(city.bundles), events=new))
            took = time.perf_counter() - start
        finally:
            if work is None:
                shutil.rmtree(folder, ignore_errors=True)
    summary = {
        "units": city.units,
        "systems": city.systems,
        "inspections": city.inspections,
        "retests": city.retests,
        "drills": city.drills,
        "bundles": len(city.bundles),
        "events": new,
        "ingest_seconds": round(took, 1),
    }
    common.emit(
        summary,
        t("hub.demo.done", units=city.units, systems=city.systems, events=new, seconds=f"{took:.0f}"),
    )


REPORT_FORMATS = ("pdf", "xlsx", "docx")


@group.command("report", help=t("hubdash.cli.report"))
def report_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help=t("hubdash.cli.opt.output"))],
    fmt: Annotated[str, typer.Option("--format", "-f", help=t("hubdash.cli.opt.format"))] = "pdf",
    quarter: Annotated[str | None, typer.Option("--quarter", help=t("hubdash.cli.opt.quarter"))] = None,
    policy: PolicyOption = None,
    force: Annotated[bool, typer.Option("--force", help=t("hubdash.cli.opt.force"))] = False,
    db: DbOption = None,
) -> None:
    from gradesec.errors import UsageError
    from gradesec.hub.city import quarter_end, quarter_of, snapshot
    from gradesec.hub.evaluation import load_policy
    from gradesec.outputs import check_output, writing

    kind = fmt.strip().lower()
    if kind not in REPORT_FORMATS:
        raise UsageError(t("hubdash.error.format", value=fmt), t("hubdash.error.format.hint"))
    given = quarter or quarter_of(_day(None))
    try:
        year, number, end = quarter_end(given)
    except ValueError:
        raise UsageError(t("hubdash.error.quarter", value=given), t("hubdash.error.quarter.hint")) from None
    rules = load_policy(policy)
    check_output(output, force=force)
    with _open(db) as conn:
        snap = snapshot(conn, end, rules)
    from gradesec.report.city.content import build_content

    report = build_content(snap, year, number)
    with writing(output, force=force) as tmp:
        if kind == "pdf":
            from gradesec.report.city.pdf import build_pdf

            build_pdf(report, tmp)
        elif kind == "xlsx":
            from gradesec.report.city.xlsx import build_xlsx

            build_xlsx(report, tmp)
        else:
            from gradesec.report.city.docx import build_docx

            build_docx(report, tmp)
    common.emit(
        {"path": str(output), "format": kind, "quarter": f"{year}Q{number}", "units": len(snap.units)},
        t("hubdash.report.built", path=str(output), format=kind.upper()),
    )
