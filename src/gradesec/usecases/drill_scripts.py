"""Scripted drill runs (a timed list of actions, ``gradesec.drill.script``) and the after-action report's data.

Part of the drill use cases; ``gradesec.usecases.drills`` re-exports both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from gradesec.drill.model import (
    Participant,
    Team,
)
from gradesec.drill.scoring import score

if TYPE_CHECKING:
    from gradesec.catalog.loader import Catalog
    from gradesec.drill.review import ReviewData
    from gradesec.drill.script import Script
    from gradesec.journal.store import Store

from gradesec.usecases.drill_records import DrillContext, find_scenario, load_drill
from gradesec.usecases.drills import (
    close_drill,
    mark_expectation,
    observe,
    pause,
    raise_improvement,
    release_due,
    release_inject,
    resume,
    start_drill,
)


def run_script(ctx: DrillContext, script: Script, progress: Callable[[int], None] | None = None) -> str:
    """Run a drill from a script (see ``gradesec.drill.script``); returns the drill id. The whole run is one
    store transaction: a failing action or an interruption leaves no half-run drill behind."""
    with ctx.store.transaction():
        return _run_script(ctx, script, progress)


def _run_script(ctx: DrillContext, script: Script, progress: Callable[[int], None] | None) -> str:
    scenario = find_scenario(ctx.catalog, script.scenario)
    teams = [
        Team(
            tm.id,
            tm.name,
            tuple(tm.roles),
            tuple(Participant(p.name, p.org, p.role) for p in tm.participants),
        )
        for tm in script.teams
    ]
    drill_id = start_drill(ctx, scenario.id, teams or None, speed=script.speed, drill_id=script.drill)
    now = 0
    closed = False
    for action in script.actions:
        now = action.elapsed_ms
        if script.auto_release and action.do != "release":
            release_due(ctx, drill_id, now)
        match action.do:
            case "release":
                assert action.inject is not None
                if script.auto_release:
                    # Earlier injects fall due on their own; this one goes out now, by hand if it is early.
                    release_due(ctx, drill_id, now)
                    if action.inject in load_drill(ctx.store, drill_id).record.releases:
                        continue
                release_inject(ctx, drill_id, action.inject, now, manual=True)
            case "mark":
                assert action.expectation is not None and action.status is not None
                mark_expectation(ctx, drill_id, action.expectation, action.status, now, action.note)
            case "observe":
                assert action.kind is not None and action.text is not None
                observe(ctx, drill_id, action.kind, action.text, now, team=action.team, inject=action.inject)
            case "pause":
                pause(ctx, drill_id, now)
            case "resume":
                resume(ctx, drill_id, now)
            case "speed":
                pass  # speed shapes real-time runs only; a script's times are drill times already
            case "improve":
                assert action.title is not None and action.risk is not None
                raise_improvement(
                    ctx, drill_id, action.title.as_dict(), action.risk, action.links, action.owner
                )
            case "close":
                close_drill(ctx, drill_id, now)
                closed = True
        if progress is not None:
            progress(1)
        if closed:
            break
    if not closed and script.close:
        close_drill(ctx, drill_id, now)
    return drill_id


def report_data(store: Store, catalog: Catalog, drill_id: str) -> ReviewData:
    """What the after-action report of a drill shows (the drill need not be closed)."""
    from gradesec.drill.review import ReviewData

    loaded = load_drill(store, drill_id)
    result = score(loaded.scenario, loaded.record)
    cited = set(loaded.scenario.links)
    for inj in loaded.scenario.injects:
        cited.update(inj.links)
    for imp in loaded.record.improvements:
        cited.update(imp.links)
    links: dict[str, dict[str, str]] = {}
    for link in sorted(cited):
        if link in catalog.controls:
            links[link] = catalog.controls[link][1].name.as_dict()
        elif link in catalog.items:
            _cl, control, _item = catalog.items[link]
            links[link] = control.name.as_dict()
    people = {key: ident.name for key, ident in store.known_identities().items()}
    return ReviewData(loaded.scenario, loaded.record, result, loaded.title, links, people, store.store_id)
