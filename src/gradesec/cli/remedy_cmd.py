"""``gradesec remedy …``: remediation tracking (the hand-over by bundles is ``bundle_cmd``).

Every command calls ``gradesec.usecases.remediation``; this module parses options and prints. Writes load the
user's key (``GRADESEC_PASSPHRASE`` or a prompt).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from gradesec.cli import common
from gradesec.cli.options import ForceOpt
from gradesec.i18n import get_lang, t

if TYPE_CHECKING:
    from gradesec.remedy.model import Item
    from gradesec.usecases.context import Context

from gradesec.cli.options import KeyOpt

NoteOpt = Annotated[str, typer.Option("--note", "-m", help=t("remedy.cli.opt.note"))]
EvidenceOpt = Annotated[
    list[Path] | None, typer.Option("--evidence", "-e", help=t("remedy.cli.opt.evidence"))
]
TodayOpt = Annotated[str | None, typer.Option("--today", help=t("remedy.cli.opt.today"))]

remedy_app = typer.Typer(help=t("remedy.cli.help"), no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root ``app``."""
    app.add_typer(remedy_app, name="remedy")


def _writer(key_id: str | None) -> Context:
    from gradesec.cli.journal_cmd import load_signer
    from gradesec.usecases.context import open_context

    signer = load_signer(key_id)
    return open_context(common.OPTIONS.store_dir, signer=signer, create=True, catalog_loader=common.catalog)


def _reader() -> Context:
    from gradesec.usecases.context import open_context

    return open_context(common.OPTIONS.store_dir, catalog_loader=common.catalog)


def _today(ctx: Context, today: str | None) -> str:
    from gradesec.usecases import remediation as uc

    return uc._date(today, "--today") if today else uc.today_of(ctx)


def _status_label(item: Item, today: str) -> str:
    from gradesec.remedy.lifecycle import acceptance_expired, effective_status, is_overdue

    label = t(f"remedy.status.{effective_status(item, today)}")
    if acceptance_expired(item, today):
        label += f" ({t('remedy.expired')})"
    if is_overdue(item, today):
        label = f"!! {label} ({t('remedy.overdue')})"
    if item.conflicts:
        label += f" [{t('remedy.conflict')}]"
    return label


def _print_items(items: list[Item], today: str) -> None:
    if not items:
        common.echo(t("remedy.cli.empty"))
        return
    lang = get_lang()
    common.table(
        [
            t("remedy.cli.col.id"),
            t("remedy.cli.col.risk"),
            t("remedy.cli.col.status"),
            t("remedy.cli.col.owner"),
            t("remedy.cli.col.deadline"),
            t("remedy.cli.col.problem"),
        ],
        [
            [
                i.id,
                t(f"remedy.risk.{i.risk}"),
                _status_label(i, today),
                " / ".join(x for x in (i.owner_dept, i.owner_person) if x) or "-",
                i.deadline or "-",
                _short(i.title(lang), 48),
            ]
            for i in items
        ],
    )


def _short(text: str, n: int) -> str:
    from gradesec.textwidth import width

    text = " ".join(text.split())
    if width(text) <= n:
        return text
    out = ""
    for ch in text:
        if width(out + ch) > n - 1:
            break
        out += ch
    return out + "…"


def _figures_line(fig: Any) -> str:
    return t(
        "remedy.cli.figures",
        total=fig.total,
        closed=fig.closed,
        pct=round(fig.closed_ratio * 100),
        overdue=fig.overdue,
        high=fig.high_open,
    )


def _me() -> str | None:
    from gradesec.journal import keys

    found = keys.list_keys()
    return found[0].name if found else None


@remedy_app.command("list", help=t("remedy.cli.list"))
def remedy_list(
    inspection: Annotated[
        str | None, typer.Option("--inspection", "-i", help=t("remedy.cli.opt.inspection"))
    ] = None,
    status: Annotated[str | None, typer.Option("--status", help=t("remedy.cli.opt.status"))] = None,
    risk: Annotated[str | None, typer.Option("--risk", help=t("remedy.cli.opt.risk"))] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help=t("remedy.cli.opt.overdue"))] = False,
    mine: Annotated[bool, typer.Option("--mine", help=t("remedy.cli.opt.mine"))] = False,
    high: Annotated[bool, typer.Option("--high", help=t("remedy.cli.opt.high"))] = False,
    today: TodayOpt = None,
) -> None:
    from gradesec.usecases import remediation as uc

    with _reader() as ctx:
        day = _today(ctx, today)
        filters = uc.Filters(inspection, status, risk, overdue, _me() if mine else None, high)
        items = uc.list_items(ctx, filters, day)
        fig = uc.progress(ctx, inspection, day)

    def human() -> None:
        _print_items(items, day)
        common.echo()
        common.echo(_figures_line(fig))

    common.emit({"today": day, "items": uc.as_json_list(items, day), "figures": fig.as_json()}, human)


@remedy_app.command("show", help=t("remedy.cli.show"))
def remedy_show(
    item_id: Annotated[str, typer.Argument(help=t("remedy.cli.arg.item"))], today: TodayOpt = None
) -> None:
    from gradesec.journal.keys import format_key_id
    from gradesec.usecases import remediation as uc

    with _reader() as ctx:
        day = _today(ctx, today)
        item = uc.get_item(ctx, item_id)
        names = {k: v.name for k, v in ctx.store.known_identities().items()}

    def human() -> None:
        from gradesec.localtime import local_time

        lang = get_lang()
        common.echo(f"{item.id}  [{t(f'remedy.risk.{item.risk}')}]  {_status_label(item, day)}")
        common.echo(f"{t('remedy.cli.show.problem')}: {item.title(lang)}")
        if item.measure:
            common.echo(f"{t('remedy.cli.show.measure')}: {item.measure}")
        owner = " / ".join(x for x in (item.owner_dept, item.owner_person) if x) or "-"
        common.echo(f"{t('remedy.cli.show.owner')}: {owner}")
        common.echo(f"{t('remedy.cli.show.deadline')}: {item.deadline or '-'}")
        if item.acceptance is not None:
            common.echo(t("remedy.cli.show.acceptance", **item.acceptance.as_json()))
        common.echo(f"{t('remedy.cli.show.log')}:")
        for e in item.log:
            who = names.get(e.author) or format_key_id(e.author)
            mark = "" if e.applied else f" [{t('remedy.conflict')}: {e.reason}]"
            status = t(f"remedy.status.{e.status_after}") if e.status_after else ""
            common.echo(f"  {local_time(e.at)}  {who}  {t(f'remedy.action.{e.action}')} → {status}{mark}")
            if e.note:
                common.echo(f"      {e.note}")
            for sha in e.evidence:
                common.echo(f"      + {sha[:16]}…")

    common.emit(item.as_json(day, with_log=True), human)


@remedy_app.command("plan", help=t("remedy.cli.plan"))
def remedy_plan(
    inspection: Annotated[
        str | None, typer.Option("--inspection", "-i", help=t("remedy.cli.opt.inspection"))
    ] = None,
    problem: Annotated[str | None, typer.Option("--problem", help=t("remedy.cli.opt.problem"))] = None,
    risk: Annotated[str, typer.Option("--risk", help=t("remedy.cli.opt.risk_set"))] = "medium",
    measure: Annotated[str, typer.Option("--measure", help=t("remedy.cli.opt.measure"))] = "",
    dept: Annotated[str, typer.Option("--dept", help=t("remedy.cli.opt.dept"))] = "",
    person: Annotated[str, typer.Option("--person", help=t("remedy.cli.opt.person"))] = "",
    deadline: Annotated[str | None, typer.Option("--deadline", help=t("remedy.cli.opt.deadline"))] = None,
    note: NoteOpt = "",
    key: KeyOpt = None,
) -> None:
    from gradesec.errors import UsageError
    from gradesec.usecases import remediation as uc

    if problem is None and inspection is None:
        raise UsageError(
            t("remedy.error.required", field="--inspection / --problem"), t("remedy.error.required.hint")
        )
    with _writer(key) as ctx:
        day = uc.today_of(ctx)
        if problem is None:
            assert inspection is not None
            items = uc.plan_from_inspection(ctx, inspection)
        else:
            items = [
                uc.plan_item(
                    ctx,
                    problem=problem,
                    risk=risk,
                    inspection=inspection,
                    measure=measure,
                    owner_dept=dept,
                    owner_person=person,
                    deadline=deadline,
                    note=note,
                )
            ]

    def human() -> None:
        _print_items(items, day)
        common.echo(t("remedy.cli.planned", n=len(items)))

    common.emit({"planned": uc.as_json_list(items, day)}, human)


def _apply(key: str | None, item_id: str, change: Any) -> None:
    from gradesec.usecases import remediation as uc

    with _writer(key) as ctx:
        day = uc.today_of(ctx)
        item = uc.update_item(ctx, item_id, change)
        warning = uc.deadline_warning(ctx, item.id, item.deadline) if change.deadline else None
    lines = t("remedy.cli.updated", id=item.id, status=_status_label(item, day))
    if warning:
        lines += "\n" + warning  # allowed, but later than the profile's limit for the risk
    common.emit({**item.as_json(day), "deadline_warning": warning}, lines)


@remedy_app.command("assign", help=t("remedy.cli.assign"))
def remedy_assign(
    item_id: Annotated[str, typer.Argument(help=t("remedy.cli.arg.item"))],
    dept: Annotated[str | None, typer.Option("--dept", help=t("remedy.cli.opt.dept"))] = None,
    person: Annotated[str | None, typer.Option("--person", help=t("remedy.cli.opt.person"))] = None,
    deadline: Annotated[str | None, typer.Option("--deadline", help=t("remedy.cli.opt.deadline"))] = None,
    measure: Annotated[str | None, typer.Option("--measure", help=t("remedy.cli.opt.measure"))] = None,
    risk: Annotated[str | None, typer.Option("--risk", help=t("remedy.cli.opt.risk_set"))] = None,
    note: NoteOpt = "",
    key: KeyOpt = None,
) -> None:
    from gradesec.usecases.remediation import Change

    _apply(key, item_id, Change("assign", note, (), dept, person, deadline, measure, risk))


@remedy_app.command("update", help=t("remedy.cli.update"))
def remedy_update(
    item_id: Annotated[str, typer.Argument(help=t("remedy.cli.arg.item"))],
    action: Annotated[str, typer.Option("--action", "-a", help=t("remedy.cli.opt.action"))] = "note",
    note: NoteOpt = "",
    evidence: EvidenceOpt = None,
    key: KeyOpt = None,
) -> None:
    from gradesec.errors import UsageError
    from gradesec.usecases.remediation import Change

    if action not in ("start", "fix", "note"):
        raise UsageError(t("remedy.error.bad_action", action=action), t("remedy.error.bad_action.hint"))
    _apply(key, item_id, Change(action, note, tuple(evidence or ())))  # type: ignore[arg-type]


@remedy_app.command("accept-risk", help=t("remedy.cli.accept"))
def remedy_accept(
    item_id: Annotated[str, typer.Argument(help=t("remedy.cli.arg.item"))],
    justification: Annotated[str, typer.Option("--justification", help=t("remedy.cli.opt.justification"))],
    approver: Annotated[str, typer.Option("--approver", help=t("remedy.cli.opt.approver"))],
    expires: Annotated[str, typer.Option("--expires", help=t("remedy.cli.opt.expires"))],
    note: NoteOpt = "",
    evidence: EvidenceOpt = None,
    key: KeyOpt = None,
) -> None:
    from gradesec.usecases.remediation import Change

    _apply(
        key,
        item_id,
        Change(
            "accept",
            note,
            tuple(evidence or ()),
            justification=justification,
            approver=approver,
            expires=expires,
        ),
    )


@remedy_app.command("retest", help=t("remedy.cli.retest"))
def remedy_retest(
    inspection: Annotated[str, typer.Option("--inspection", "-i", help=t("remedy.cli.opt.inspection"))],
    item: Annotated[list[str], typer.Option("--item", help=t("remedy.cli.opt.retest_item"))],
    note: NoteOpt = "",
    evidence: EvidenceOpt = None,
    key: KeyOpt = None,
) -> None:
    from gradesec.errors import UsageError
    from gradesec.usecases import remediation as uc

    entries = []
    for spec in item:
        rid, sep, outcome = spec.partition("=")
        if not sep or not rid.strip():
            raise UsageError(
                t("remedy.error.bad_item_arg", value=spec), t("remedy.error.nothing_to_retest.hint")
            )
        entries.append(uc.RetestInput(rid.strip(), outcome.strip(), note, tuple(evidence or ())))
    with _writer(key) as ctx:
        day = uc.today_of(ctx)
        result = uc.retest(ctx, inspection, entries)

    def human() -> None:
        _print_items(list(result.items), day)
        b, a = result.before, result.after
        lang = get_lang()
        common.echo(
            t(
                "remedy.cli.round",
                before=b.get("score"),
                after=a.get("score"),
                cb=b["conclusion"].get(lang, b["conclusion"].get("code")),
                ca=a["conclusion"].get(lang, a["conclusion"].get("code")),
            )
        )

    common.emit(result.as_json(day), human)


@remedy_app.command("report", help=t("remedy.cli.progress"))
def remedy_report(
    inspection: Annotated[str, typer.Option("--inspection", "-i", help=t("remedy.cli.opt.inspection"))],
    output: Annotated[Path, typer.Option("-o", "--output", help=t("bundle.cli.opt.output"))],
    today: TodayOpt = None,
    force: ForceOpt = False,
) -> None:
    from gradesec.outputs import check_output, writing
    from gradesec.report.progress import build_progress_pdf
    from gradesec.usecases import remediation as uc

    check_output(output, force=force)
    with _reader() as ctx:
        day = _today(ctx, today)
        data = uc.progress_report_data(ctx, inspection, day, get_lang())
    with writing(output, force=force) as tmp:
        build_progress_pdf(data, tmp, lang=get_lang())
    common.emit({"path": str(output)}, t("remedy.cli.report_written", path=str(output)))
