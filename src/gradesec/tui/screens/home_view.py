"""What the home screen shows, as data and text: the listing (read in a worker) and the detail panel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.text import Text

from gradesec.i18n import get_lang, pick, t
from gradesec.tui.widgets.score_panel import bar, fmt_score

if TYPE_CHECKING:
    from gradesec.assess.model import Asset, Inspection, System, Unit
    from gradesec.assess.scoring import ScoreResult
    from gradesec.catalog.loader import Catalog

Style = Callable[[str], str]  # a component name ("muted", "good", "bad") -> its Rich style


@dataclass
class HomeData:
    units: list[Unit] = field(default_factory=list)
    systems: dict[str, list[System]] = field(default_factory=dict)  # by unit
    assets: dict[str, list[Asset]] = field(default_factory=dict)  # by system
    inspections: dict[str, list[Inspection]] = field(default_factory=dict)  # by system
    scores: dict[str, ScoreResult] = field(default_factory=dict)  # by inspection


def load_home(ctx: Any, policies: dict[str, str] | None = None) -> HomeData:
    """Everything the home screen lists (runs in a worker); each inspection is scored with the policy chosen
    for it in the workspace (``policies``: inspection id → policy id), else with its own."""
    from gradesec.usecases import inspections as uc

    data = HomeData(units=uc.list_units(ctx))
    for system in uc.list_systems(ctx):
        data.systems.setdefault(system.unit_id, []).append(system)
    for asset in uc.list_assets(ctx):
        data.assets.setdefault(asset.system_id, []).append(asset)
    for insp in uc.list_inspections(ctx):
        data.inspections.setdefault(insp.system_id, []).append(insp)
        chosen = (policies or {}).get(insp.id)
        data.scores[insp.id] = uc.score(ctx, insp.id, chosen if chosen in insp.policies else None)
    return data


# The tree's lines


def unit_label(data: HomeData, unit: Unit, style: Style) -> Text:
    n = len(data.systems.get(unit.id, []))
    return Text.assemble(unit.name, "  ", (t("tui.home.n_systems", n=n), style("muted")))


def system_label(data: HomeData, system: System, style: Style) -> Text:
    n = len(data.assets.get(system.id, []))
    return Text.assemble(
        system.name,
        "  ",
        (t("tui.level", level=system.level), ""),
        "  ",
        (t("tui.home.n_assets", n=n), style("muted")),
    )


def inspection_label(data: HomeData, insp: Inspection, style: Style) -> Text:
    result = data.scores.get(insp.id)
    title = insp.title or insp.id
    label = Text(title)
    if result is not None and result.progress is not None:
        label.append(f"  {result.progress.ratio * 100:3.0f}%", style=style("muted"))
    if result is not None:
        tone = "good" if result.conclusion.code in ("compliant", "excellent", "good", "met") else "bad"
        label.append(f"  {fmt_score(result.score)}  ")
        label.append(pick(result.conclusion.label), style=style(tone))
    if not insp.is_open:
        label.append("  " + t("tui.home.closed"), style=style("muted"))
    return label


# The detail panel


def unit_detail(out: Text, unit: Unit) -> None:
    out.append(unit.name + "\n", style="bold")
    for key, value in (("code", unit.code), ("region", unit.region), ("contact", unit.contact)):
        if value:
            out.append(f"{t('word.label', label=t(f'tui.unit.{key}'))}{value}\n")
    out.append("\n" + t("tui.home.unit_hint"))


def system_detail(
    out: Text, system: System, assets: list[Asset], catalog: Catalog | None, style: Style
) -> None:
    """The panel for a system: level, how it was graded, filing, conditions and its assets."""
    out.append(system.name + "\n", style="bold")
    out.append(t("tui.level", level=system.level) + "\n")
    if system.grading:
        from gradesec.catalog.grading import grade

        graded = grade(str(system.grading.get("business")), str(system.grading.get("service")))
        for line in graded.explain(get_lang()):
            out.append(line + "\n", style=style("muted"))
    if system.filing_no:
        out.append(t("tui.system.filing_no") + f": {system.filing_no}\n")
    if system.conditions:
        conditions = ", ".join(t(f"system.condition.{c}") for c in system.conditions)
        out.append(t("system.cli.col.conditions") + f": {conditions}\n")
    out.append("\n" + t("tui.home.assets", n=len(assets)) + "\n", style="bold")
    for asset in assets:
        kind = asset.kind
        if catalog is not None and kind in catalog.object_kinds:
            kind = catalog.object_kinds[kind].name.get(get_lang())
        out.append(f"  {asset.name}", style="")
        out.append(f"  {kind}", style=style("muted"))
        if asset.address:
            out.append(f"  {asset.address}", style=style("muted"))
        out.append("\n")
    out.append("\n" + t("tui.home.system_hint"))


def inspection_detail(
    out: Text, insp: Inspection, system: System, result: ScoreResult | None, style: Style
) -> None:
    """The panel for an inspection: status, progress, score, conclusion and issue counts."""
    out.append((insp.title or insp.id) + "\n", style="bold")
    out.append(f"{system.name} · {t('tui.level', level=insp.level)} · {insp.profile_id}\n")
    status = t("tui.home.open") if insp.is_open else t("tui.home.closed")
    out.append(
        f"{t('word.label', label=t('tui.home.status'))}{status}   "
        f"{t('word.label', label=t('tui.home.opened'))}{insp.opened_at[:10]}\n\n"
    )
    if result is not None:
        if result.progress is not None:
            p = result.progress
            out.append(
                f"{t('word.label', label=t('tui.score.progress'))}{p.recorded}/{p.applicable}  {p.ratio * 100:.0f}%\n"
            )
            out.append(bar(p.ratio, 40) + "\n", style=style("good"))
        out.append(f"{t('word.label', label=t('tui.score.score'))}{fmt_score(result.score)}   ")
        out.append(pick(result.conclusion.label) + "\n", style="bold")
        out.append(
            t(
                "tui.score.issue_counts",
                high=result.issues.get("high", 0),
                medium=result.issues.get("medium", 0),
                low=result.issues.get("low", 0),
            )
            + "\n"
        )
    out.append("\n" + t("tui.home.open_hint"))
