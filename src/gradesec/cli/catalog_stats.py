"""``gradesec catalog stats``: how many items and control points a profile has per category (with the weights),
and, without a profile, every extension set at every level. The command is registered by ``catalog_cmd``."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

import typer

from gradesec.cli import common
from gradesec.errors import UsageError
from gradesec.i18n import get_lang, t


def checked_level(level: int | None) -> int | None:
    if level is not None and not 1 <= level <= 4:
        raise UsageError(t("catalog.bad_level"), t("catalog.bad_level.hint"))
    return level


def stats_cmd(
    profile: Annotated[
        str | None, typer.Option("--profile", "-p", help="Profile id, e.g. mlps-l3+cloud / 配置编号")
    ] = None,
    level: Annotated[int | None, typer.Option("--level", "-l", help="Level 1–4 / 级别")] = None,
) -> None:
    cat = common.catalog()
    if profile is None:
        _extension_matrix(cat)
        return
    prof = cat.profile(profile)
    items = cat.items_for(profile, checked_level(level))
    lang = get_lang()
    per_cat: dict[tuple[str, str], dict[str, Any]] = {}
    for item in items:
        entry = per_cat.setdefault(
            (item.extension or "", item.category.code),
            {
                "category": item.category.code,
                "name": item.category.name.as_dict(),
                "class": item.category.cls,
                "extension": item.extension,
                "controls": set(),
                "items": 0,
                "weights": Counter(),
            },
        )
        entry["controls"].add(item.control.id)
        entry["items"] += 1
        entry["weights"][f"{item.weight:.1f}"] += 1
    rows = [
        {**e, "controls": len(e["controls"]), "weights": dict(sorted(e["weights"].items(), reverse=True))}
        for e in per_cat.values()
    ]
    general = [r for r in rows if not r["extension"]]
    extensions: dict[str, dict[str, int]] = {}
    for r in rows:
        if r["extension"]:
            ext = extensions.setdefault(r["extension"], {"items": 0, "controls": 0})
            ext["items"] += r["items"]
            ext["controls"] += r["controls"]
    total_weights: Counter[str] = Counter()
    for r in general:
        total_weights.update(r["weights"])
    data = {
        "profile": prof.id,
        "level": items[0].level if items else prof.level,
        "items": sum(r["items"] for r in general),
        "controls": sum(r["controls"] for r in general),
        "categories": general,
        "weights": dict(sorted(total_weights.items(), reverse=True)),
        "extensions": extensions,
        "extension_categories": [r for r in rows if r["extension"]],
    }

    def fmt(weights: dict[str, int]) -> str:
        return " ".join(f"{k}×{v}" for k, v in weights.items())

    def human() -> None:
        title = prof.title.get(lang)
        if data["level"] != prof.level:
            title = f"{title} → {t('catalog.stats.at_level', level=data['level'])}"
        common.echo(t("catalog.stats.title", title=title, items=data["items"], controls=data["controls"]))
        common.echo()
        common.table(
            [
                t("catalog.head.category"),
                t("catalog.head.controls"),
                t("catalog.head.items"),
                t("catalog.stats.weights"),
            ],
            [
                [f"{r['category']} {r['name'][lang]}", str(r["controls"]), str(r["items"]), fmt(r["weights"])]
                for r in general
            ]
            + [[t("word.total"), str(data["controls"]), str(data["items"]), fmt(data["weights"])]],
        )
        if extensions:
            common.echo()
            common.echo(t("catalog.ext.stats.title"))
            ext_rows = data["extension_categories"]
            assert isinstance(ext_rows, list)
            common.table(
                [
                    t("catalog.ext.stats.head.set"),
                    t("catalog.head.category"),
                    t("catalog.head.controls"),
                    t("catalog.head.items"),
                ],
                [
                    [
                        t(f"catalog.ext.name.{r['extension']}"),
                        f"{r['category']} {r['name'][lang]}",
                        str(r["controls"]),
                        str(r["items"]),
                    ]
                    for r in ext_rows
                ]
                + [
                    [t(f"catalog.ext.name.{ext}"), t("word.total"), str(v["controls"]), str(v["items"])]
                    for ext, v in extensions.items()
                ],
            )

    common.emit(data, human)


def _extension_matrix(cat: Any) -> None:
    """``catalog stats`` without a profile: every extension set at every level (items / control points)."""
    from gradesec.catalog.models import EXTENSIONS

    lang = get_lang()
    sets: dict[str, dict[str, dict[str, int]]] = {}
    for ext in EXTENSIONS:
        per_level: dict[str, dict[str, int]] = {}
        for lvl in (1, 2, 3, 4):
            items = controls = provider = customer = 0
            for checklist in cat.extension_checklists(ext, lvl):
                for control in checklist.controls:
                    here = [i for i in control.items if lvl in i.levels]
                    items += len(here)
                    controls += 1 if here else 0
                    provider += sum(1 for i in here if not i.sides or "provider" in i.sides)
                    customer += sum(1 for i in here if not i.sides or "customer" in i.sides)
            entry = {"items": items, "controls": controls}
            if ext == "cloud":
                entry.update(provider=provider, customer=customer)
            per_level[str(lvl)] = entry
        sets[ext] = per_level

    def cell(entry: dict[str, int]) -> str:
        return f"{entry['items']} / {entry['controls']}" if entry["items"] else "—"

    def human() -> None:
        common.echo(t("catalog.ext.stats.title"))
        common.echo()
        common.table(
            [t("catalog.ext.stats.head.set"), "L1", "L2", "L3", "L4"],
            [
                [t(f"catalog.ext.name.{ext}", lang), *(cell(v[str(n)]) for n in (1, 2, 3, 4))]
                for ext, v in sets.items()
            ],
        )
        cloud = sets.get("cloud", {})
        for n in (1, 2, 3, 4):
            entry = cloud.get(str(n))
            if entry and entry["items"]:
                common.echo(
                    t(
                        "catalog.ext.stats.sides",
                        level=n,
                        provider=entry["provider"],
                        customer=entry["customer"],
                    )
                )

    common.emit({"extension_sets": sets}, human)
