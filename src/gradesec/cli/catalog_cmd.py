"""``gradesec catalog …``: list, lint, items, stats (``catalog_stats``), grade, case, wording import."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from gradesec.cli import common
from gradesec.cli.catalog_stats import checked_level, stats_cmd
from gradesec.errors import CatalogError, UsageError
from gradesec.i18n import get_lang, pick, t

group = typer.Typer(help=t("catalog.help"), no_args_is_help=True)


wording_group = typer.Typer(help=t("workbook.wording.help"), no_args_is_help=True)
group.add_typer(wording_group, name="wording")


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="catalog")


@wording_group.command("import", help=t("workbook.wording.import.help"))
def wording_import(
    source: Annotated[Path, typer.Argument(help=t("workbook.wording.arg.file"))],
    level: Annotated[int, typer.Option("--level", "-l", help=t("workbook.wording.opt.level"))] = 3,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help=t("workbook.wording.opt.output"))
    ] = None,
) -> None:
    from gradesec.config import load_config
    from gradesec.report.workbook.wording import import_wording

    target = output or next(iter(load_config().catalog_dirs), None)
    if target is None:
        raise UsageError(t("workbook.wording.no_dir"), t("workbook.wording.no_dir.hint"))
    result = import_wording(common.catalog(), source, level, target)
    common.emit(
        result.as_json(),
        t(
            "workbook.wording.written",
            path=result.path,
            level=result.level,
            items=result.items,
            rows=result.rows,
            unmapped=result.unmapped,
        ),
    )


@group.command("list", help=t("catalog.list.help"))
def list_cmd() -> None:
    cat = common.catalog()
    lang = get_lang()
    rows: list[dict[str, Any]] = []
    for checklist in cat.checklists.values():
        n = sum(len(c.items) for c in checklist.controls)
        rows.append(
            _row(
                "checklist",
                checklist.id,
                checklist.title.as_dict(),
                n,
                cat.hash_of("checklist", checklist.id),
            )
        )
    for profile in cat.profiles.values():
        n = len(cat.items_for(profile.id))
        row = _row("profile", profile.id, profile.title.as_dict(), n, cat.hash_of("profile", profile.id))
        row["level"] = profile.level
        rows.append(row)
    for policy in cat.policies.values():
        rows.append(_row("policy", policy.id, policy.title.as_dict(), None, cat.hash_of("policy", policy.id)))
    for hr in cat.high_risk.values():
        rows.append(
            _row("high_risk", hr.id, hr.title.as_dict(), len(hr.cases), cat.hash_of("high_risk", hr.id))
        )
    for kind, docs in sorted(cat.extras.items()):
        for doc_id, model in docs.items():
            title = getattr(model, "title", None)
            rows.append(
                _row(
                    kind,
                    doc_id,
                    title.as_dict() if title is not None else {},
                    None,
                    cat.hash_of(kind, doc_id),
                )
            )

    def human() -> None:
        common.table(
            [
                t("catalog.head.kind"),
                t("catalog.head.id"),
                t("catalog.head.title"),
                t("catalog.head.count"),
                t("catalog.head.hash"),
            ],
            [
                [
                    t(f"catalog.kind.{r['kind']}")
                    if r["kind"] in ("checklist", "profile", "policy", "high_risk")
                    else r["kind"],
                    r["id"],
                    pick(r["title"], lang),
                    "" if r["count"] is None else str(r["count"]),
                    r["sha256"][:12],
                ]
                for r in rows
            ],
        )
        common.echo()
        common.echo(t("catalog.catalog_hash", hash=cat.sha256))

    common.emit({"catalog_sha256": cat.sha256, "entries": rows}, human)


def _row(kind: str, doc_id: str, title: dict[str, str], count: int | None, sha: str) -> dict[str, Any]:
    return {"kind": kind, "id": doc_id, "title": title, "count": count, "sha256": sha}


@group.command("lint", help=t("catalog.lint.help"))
def lint_cmd(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders / 文件或目录")] = None,
) -> None:
    from gradesec.assess.scoring import check_params
    from gradesec.catalog.loader import check_policies, default_roots, lint

    layers = default_roots(common.OPTIONS.catalog_dirs)
    if paths:
        layers = [*layers, list(paths)]
    catalog, problems = lint(layers)
    problems = [*problems, *check_policies(catalog, check_params)]
    payload = {
        "ok": not problems,
        "problems": [{"file": str(p.file), "line": p.line, "message": p.message} for p in problems],
        "files": len(catalog.files),
        "catalog_sha256": catalog.sha256,
    }
    if problems:
        if common.OPTIONS.json:
            common.emit(payload)
            raise typer.Exit(1)
        raise CatalogError(
            t("lint.failed", n=len(problems)), t("catalog.invalid.hint"), [str(p) for p in problems]
        )
    common.emit(
        payload,
        t(
            "lint.ok",
            files=len(catalog.files),
            checklists=len(catalog.checklists),
            items=len(catalog.items),
            profiles=len(catalog.profiles),
        ),
    )


@group.command("items", help=t("catalog.items.help"))
def items_cmd(
    profile: Annotated[str, typer.Option("--profile", "-p", help="Profile id / 配置编号")],
    level: Annotated[int | None, typer.Option("--level", "-l", help="Level 1–4 / 级别")] = None,
) -> None:
    cat = common.catalog()
    items = cat.items_for(profile, checked_level(level))
    lang = get_lang()
    from gradesec.textwidth import clip

    common.emit(
        [i.as_json() for i in items],
        lambda: common.table(
            [
                t("catalog.head.id"),
                t("catalog.head.control"),
                t("catalog.head.weight"),
                t("catalog.head.text"),
            ],
            [
                [i.id, clip(i.control.name.get(lang), 16), f"{i.weight:.1f}", clip(i.text.get(lang), 70)]
                for i in items
            ],
        ),
    )


# ``catalog stats`` (counts per category and per extension set) is in catalog_stats; registered here, so the
# commands keep their order in the help.
group.command("stats", help=t("catalog.stats.help"))(stats_cmd)


@group.command("grade", help=t("catalog.grade.help"))
def grade_cmd(
    business: Annotated[str, typer.Option("--business", "-b", help="OBJECT:DEGREE, e.g. society:serious")],
    service: Annotated[str, typer.Option("--service", "-s", help="OBJECT:DEGREE, e.g. citizen:grave")],
) -> None:
    from gradesec.catalog.grading import grade

    result = grade(business, service)
    data = {
        "level": result.level,
        "business": {
            "object": result.business.object,
            "degree": result.business.degree,
            "level": result.business.level,
        },
        "service": {
            "object": result.service.object,
            "degree": result.service.degree,
            "level": result.service.level,
        },
        "explanation": {"zh": result.explain("zh"), "en": result.explain("en")},
    }
    common.emit(data, "\n".join(result.explain()))


@group.command("case", help=t("risk.cli.case.help"))
def case_cmd(case_id: Annotated[str, typer.Argument(help=t("risk.cli.case.arg"))]) -> None:
    from gradesec.errors import NotFoundError

    cat = common.catalog()
    case = cat.cases.get(case_id)
    if case is None:
        raise NotFoundError(t("risk.error.no_case", case=case_id), t("risk.error.no_case.hint"))
    lang = get_lang()
    prerequisites = {p.id: p.text for hr in cat.high_risk.values() for p in hr.prerequisites}
    data = case.model_dump(mode="json")

    def human() -> None:
        conds = ", ".join(t(f"system.condition.{c}") for c in case.conditions) or t("system.condition.none")
        common.echo(f"{case.id}  {case.title.get(lang)}")
        common.echo(t("risk.cli.case.scope", levels=", ".join(map(str, case.levels)), conditions=conds))
        common.echo(
            t(
                "risk.cli.case.item",
                item=case.item,
                results=", ".join(t(f"assess.cli.result.{r}") for r in case.results),
            )
        )
        common.echo(t("risk.cli.case.situations"))
        for s in case.situations:
            common.echo(f"  {s.id}. {s.text.get(lang)}")
        common.echo(t("risk.cli.case.mitigations"))
        if not case.mitigations:
            common.echo("  " + t("risk.cli.case.no_mitigation"))
        for m in case.mitigations:
            scope = ", ".join(map(str, m.situations)) if m.situations else t("risk.cli.case.all_situations")
            common.echo(f"  [{m.id}] {m.text.get(lang)}")
            common.echo(
                "      "
                + t(
                    "risk.cli.case.mitigation_scope",
                    situations=scope,
                    down_to=t(f"assess.cli.risk.{m.down_to}"),
                )
            )
            for req in m.requires:
                text = prerequisites.get(req)
                common.echo("      " + t("risk.mitigation.requires", text=text.get(lang) if text else req))
        if case.note is not None:
            common.echo(t("risk.cli.case.note", text=case.note.get(lang)))
        common.echo(t("risk.cli.case.advice", text=case.advice.get(lang)))

    common.emit(data, human)
