"""Issue 15 part 6: the workspace's policy switch and the home screen show the same conclusion.

The cause of the disagreement: the policy chosen with ``p`` lived only in the workspace's model, while the
home screen always scored with the inspection's own policy (the demo's 2019 policy says 不符合 / Non-compliant
where the 2021 policy says 差 / Poor). The choice now lives in the session, and both screens score with it.
"""

from __future__ import annotations

from pathlib import Path

from gradesec.tui.screens.home_view import inspection_label
from gradesec.tui.screens.workspace import WorkspaceScreen
from gradesec.tui.widgets.score_panel import ScorePanel
from tests.tui.conftest import DEMO_INSPECTION, demo_app, on_screen, open_workspace, wait_for


async def test_home_shows_the_conclusion_of_the_policy_chosen_in_the_workspace(demo_store: Path) -> None:
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await open_workspace(pilot)
        own = ws.model.policy_id
        await pilot.press("p")
        chosen = ws.model.policy_id
        panel = ws.query_one("#ws-score", ScorePanel)
        assert panel.result is not None and chosen != own
        shown = panel.result.conclusion
        await pilot.press("escape")
        home = await on_screen(pilot, "HomeScreen")
        await wait_for(
            pilot,
            lambda: (
                DEMO_INSPECTION in home.data.scores and home.data.scores[DEMO_INSPECTION].policy_id == chosen
            ),
        )
        result = home.data.scores[DEMO_INSPECTION]
        assert result.policy_id == chosen
        assert result.conclusion.code == shown.code
        insp = next(i for found in home.data.inspections.values() for i in found if i.id == DEMO_INSPECTION)
        assert shown.label["en"] in inspection_label(home.data, insp, home._style).plain

        # Opening the workspace again keeps the choice.
        app.push_screen(WorkspaceScreen(DEMO_INSPECTION))
        again = await open_workspace(pilot)
        assert again.model.policy_id == chosen
        assert again.query_one("#ws-score", ScorePanel).result.conclusion.code == shown.code
