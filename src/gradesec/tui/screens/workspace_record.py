"""Recording on the workspace: results, notes, methods, evidence, risk, rulings, retraction and undo.

``RecordingScreen`` is the workspace's base: it holds what the recording keys act on (the model, the item
shown, the pair just recorded, the undo stack) and turns each dialog's answer into a signed write through the
app's writer thread. The layout, the tree, filters and navigation are in ``screens/workspace.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from gradesec.i18n import get_lang, t
from gradesec.tui.screens.base import MainScreen
from gradesec.tui.widgets.asset_grid import AssetGrid
from gradesec.tui.widgets.item_detail import ItemDetail
from gradesec.tui.widgets.item_tree import ItemTree
from gradesec.tui.widgets.repaint import paint_now
from gradesec.tui.widgets.score_panel import ScorePanel

if TYPE_CHECKING:
    from gradesec.assess.model import Finding, Issue
    from gradesec.tui.screens.form import FormModal
    from gradesec.tui.workspace_model import WorkspaceModel

Values = dict[str, str]
WRITES = ("record", "note", "evidence", "risk", "method", "resolve", "retract", "undo", "import_workbook")


class RecordingScreen(MainScreen):
    def __init__(self, inspection_id: str) -> None:
        super().__init__()
        self.inspection_id = inspection_id
        self.model: WorkspaceModel | None = None
        self.item_id: str | None = None
        # After 1/2/3 the cursor moves on by itself; until the user moves it, n/r/e/m act on the pair just
        # recorded: (item, asset recorded, asset the cursor landed on).
        self.sticky: tuple[str, str, str] | None = None
        # What ctrl+z takes back: each result stored from this screen, with the revision it replaced.
        self.undo_stack: list[tuple[str, str, Finding | None]] = []

    def current(self) -> tuple[str | None, str | None]:
        return self.item_id, self.query_one(AssetGrid).current_asset()

    def show_score(self) -> None:
        if self.model is None:
            return
        result = self.model.score()
        title = self.model.inspection.policies[self.model.policy_id].title
        for panel in self.query(ScorePanel):
            panel.show(result, self.model.catalog, title)

    def subject(self, item_id: str, asset_id: str) -> str:
        """How a dialog names the pair it acts on: the item (id and the start of its wording) and the asset."""
        from gradesec.textwidth import clip

        assert self.model is not None
        ri = self.model.resolved.get(item_id)
        wording = clip(ri.text.get(get_lang()).replace("\n", " "), 36) if ri is not None else ""
        asset = self.model.asset_by_id[asset_id]
        return t("tui.finding.subject", item=item_id, title=wording, asset=asset.name)

    def _target(self, need_result: bool = False) -> tuple[str, str, Finding | None] | None:
        """The pair to act on, or None after telling the user why not: the pair just recorded while the cursor
        has not been moved on purpose since, else the focused item and asset."""
        if self.model is None:
            return None
        item_id, asset_id = self.current()
        if (
            need_result
            and self.sticky is not None
            and (item_id, asset_id) == (self.sticky[0], self.sticky[2])
        ):
            asset_id = self.sticky[1]
        if item_id is None or asset_id is None:
            self.notify(t("tui.ws.no_asset"), severity="warning")
            return None
        if not self.model.is_open:
            self.notify(t("tui.ws.closed_notice"), severity="warning")
            return None
        finding = self.model.findings.get((item_id, asset_id))
        if need_result and finding is None:
            self.notify(t("tui.ws.result_first"), severity="warning")
            return None
        return item_id, asset_id, finding

    def _ask(self, form: FormModal, then: Callable[[Values], object]) -> None:
        """Show ``form``; ``then(values)`` runs when it is submitted (not when it is cancelled)."""

        def done(values: Values | None) -> None:
            if values is not None:
                then(values)

        self.app.push_screen(form, done)

    def _revise(self, form: Callable[[Finding, str], FormModal], change: Callable[[Values], Any]) -> None:
        """A dialog that changes one part of the pair's result (note, method, evidence) as a new revision:
        ``form(previous, subject)`` asks, ``change(values)`` returns the keyword arguments of ``_store`` (or
        None to store nothing)."""
        target = self._target(need_result=True)
        if target is None:
            return
        item_id, asset_id, previous = target
        assert previous is not None

        def then(values: Values) -> None:
            fields = change(values)
            if fields is not None:
                self._store(item_id, asset_id, previous.result, previous, **fields)

        self._ask(form(previous, self.subject(item_id, asset_id)), then)

    # Results

    def action_record(self, result: str) -> None:
        target = self._target()
        if target is None:
            return
        item_id, asset_id, previous = target
        if result == "na":
            from gradesec.tui.screens.finding_forms import na_form

            def with_reason(values: Values) -> None:
                self._store(item_id, asset_id, "na", previous, reason=values["reason"])
                self.sticky = (item_id, asset_id, asset_id)

            subject = self.subject(item_id, asset_id)
            self._ask(na_form(previous.na_reason if previous else "", subject), with_reason)
            return
        self._store(item_id, asset_id, result, previous)
        grid = self.query_one(AssetGrid)
        grid.next_row()
        self.sticky = (item_id, asset_id, grid.current_asset() or asset_id)

    def _store(
        self,
        item_id: str,
        asset_id: str,
        result: str,
        previous: Finding | None,
        *,
        note: str | None = None,
        method: str | None = None,
        reason: str | None = None,
        evidence: tuple[str, ...] = (),
    ) -> None:
        """Record a revision; what is not given carries over from the previous revision."""
        from gradesec.usecases.inspections import record_finding

        ctx, insp = self.ctx, self.inspection_id
        self.undo_stack.append((item_id, asset_id, previous))
        keep_note = note if note is not None else (previous.note if previous else "")
        keep_method = method if method is not None else (previous.method if previous else None)
        keep_reason = reason if reason is not None else (previous.na_reason if previous else "")
        self.submit(
            lambda: record_finding(
                ctx,
                insp,
                item_id,
                asset_id,
                result,
                note=keep_note,
                method=keep_method,
                reason=keep_reason if result == "na" else "",
                evidence=evidence,
            ),
            self._saved,
        )

    def _saved(self, finding: Finding) -> None:
        model = self.model
        if model is None:
            return
        model.put_finding(finding)
        self._redraw_pair(finding.item_id, finding.asset_id)
        issue = model.issues.get((finding.item_id, finding.asset_id))
        if issue is not None and issue.suggested == "high" and issue.risk is None:
            self.notify(
                t("tui.ws.high_suggested", cases=", ".join(issue.cases)), severity="warning", timeout=6
            )

    def _redraw_pair(self, item_id: str, asset_id: str) -> None:
        """After a write: the item's line in the tree, its asset row when shown, and the score (one frame)."""
        tree, grid = self.query_one(ItemTree), self.query_one(AssetGrid)
        tree.update_item(item_id)
        tree.update_asset(asset_id)
        if item_id == self.item_id:
            grid.update_asset(asset_id)
        self.show_score()
        paint_now(tree, grid, *self.query(ScorePanel))  # widgets/repaint.py
        # The key's own frame (the grid's cursor) was drawn ~10 ms ago, so the refresh timer would hold this one
        # for 17–33 ms (docs/performance.md): draw it once the repaints above are in, as Textual's Pilot does.
        self.call_later(self._on_timer_update)

    # Revisions of one part of a result

    def action_note(self) -> None:
        from gradesec.tui.screens.finding_forms import note_form

        self._revise(lambda prev, subject: note_form(prev.note, subject), lambda v: {"note": v["note"]})

    def action_method(self) -> None:
        from gradesec.tui.screens.finding_forms import method_form

        self._revise(
            lambda prev, subject: method_form(self._methods(prev.item_id), prev.method or "", subject),
            lambda v: {"method": v["method"] or None},
        )

    def _methods(self, item_id: str) -> list[str]:
        ri = self.model.resolved.get(item_id) if self.model else None
        return list(ri.item.methods) if ri is not None else ["interview", "examine", "test"]

    def action_evidence(self) -> None:
        from gradesec.tui.screens.finding_forms import evidence_form

        self._revise(
            lambda _prev, subject: evidence_form(subject),
            lambda v: {"evidence": (v["path"].strip(),)} if v["path"].strip() else None,
        )

    # Risk and rulings

    def action_risk(self) -> None:
        target = self._target(need_result=True)
        if target is None or self.model is None:
            return
        item_id, asset_id, _previous = target
        issue = self.model.issues.get((item_id, asset_id))
        if issue is None:
            self.notify(t("tui.ws.not_an_issue"), severity="warning")
            return
        from gradesec.tui.screens.finding_forms import RiskForm
        from gradesec.usecases.inspections import rate_issue

        ctx, insp = self.ctx, self.inspection_id

        def rate(values: Values) -> None:
            self.submit(
                lambda: rate_issue(
                    ctx,
                    insp,
                    item_id,
                    asset_id,
                    values["risk"],
                    compensation=values["compensation"],
                    reason=values["reason"],
                    major=values["major"] == "yes",
                    mitigations=[values["mitigation"]] if values.get("mitigation") else [],
                ),
                self._rated,
            )

        lang = get_lang()
        catalog = self.model.catalog
        allowed = [
            (f"{case.id} [{m.id}] {m.text.get(lang)}", m.id)
            for case in (catalog.cases.get(c) for c in issue.cases if catalog is not None)
            if case is not None
            for m in case.mitigations
        ]
        self._ask(RiskForm(issue, allowed, self.subject(item_id, asset_id)), rate)

    def _rated(self, issue: Issue) -> None:
        if self.model is None:
            return
        self.model.put_issue(issue)
        self._redraw_pair(issue.item_id, issue.asset_id)

    def action_resolve(self) -> None:
        target = self._target()
        if target is None or self.model is None:
            return
        item_id, asset_id, _previous = target
        dispute = self.model.disputes.get((item_id, asset_id))
        if dispute is None:
            self.notify(t("tui.ws.no_dispute"), severity="warning")
            return
        from gradesec.tui.screens.finding_forms import ruling_form
        from gradesec.usecases.inspections import resolve_disagreement

        choices = [(self.model.author_name(kid), result) for kid, result in sorted(dispute.results.items())]
        ctx, insp = self.ctx, self.inspection_id

        def rule(values: Values) -> None:
            self.submit(
                lambda: resolve_disagreement(
                    ctx, insp, item_id, asset_id, values["result"], reason=values["reason"]
                ),
                self._ruled,
            )

        self._ask(ruling_form(choices, self.subject(item_id, asset_id)), rule)

    def _ruled(self, finding: Finding) -> None:
        if self.model is None:
            return
        self.model.put_ruling(finding)
        if finding.item_id == self.item_id:
            self.query_one(ItemDetail).show_item(self.model, self.item_id, get_lang())
        self._redraw_pair(finding.item_id, finding.asset_id)
        self.notify(t("tui.ws.ruled", result=t(f"tui.result.{finding.result}")))

    # Corrections

    def action_retract(self) -> None:
        """Take the result of the pair back to untested (asks first; the history keeps it)."""
        target = self._target(need_result=True)
        if target is None:
            return
        item_id, asset_id, previous = target
        assert previous is not None
        from gradesec.tui.screens.confirm import ConfirmModal

        lines = [
            self.subject(item_id, asset_id),
            t("tui.retract.now", result=t(f"tui.result.{previous.result}")),
            t("tui.retract.kept"),
        ]

        def answered(yes: bool | None) -> None:
            if yes:
                self._retract(item_id, asset_id, t("tui.retract.reason"), "tui.retract.done")

        self.app.push_screen(
            ConfirmModal("tui.retract.title", lines, "tui.retract.button", warn=True), answered
        )

    def _retract(self, item_id: str, asset_id: str, reason: str, done_key: str) -> None:
        from gradesec.usecases.corrections import retract_finding

        ctx, insp = self.ctx, self.inspection_id

        def done(_result: object) -> None:
            if self.model is None:
                return
            self.model.drop_finding(item_id, asset_id)
            self._redraw_pair(item_id, asset_id)
            self.notify(t(done_key, item=item_id, asset=self.model.asset_by_id[asset_id].name))

        self.sticky = None
        self.submit(lambda: retract_finding(ctx, insp, item_id, asset_id, reason=reason), done)

    def action_undo(self) -> None:
        """Take back the last result stored from this screen, as a new event: the revision it replaced is
        recorded again, or the pair is retracted if it had none."""
        if self.model is None or not self.model.is_open:
            return
        if not self.undo_stack:
            self.notify(t("tui.undo.nothing"), severity="warning")
            return
        item_id, asset_id, before = self.undo_stack.pop()
        self.sticky = None
        if before is None:
            self._retract(item_id, asset_id, t("correct.undo_reason"), "tui.undo.retracted")
            return
        from gradesec.usecases.inspections import record_finding

        ctx, insp = self.ctx, self.inspection_id

        def done(finding: Finding) -> None:
            self._saved(finding)
            self.notify(
                t(
                    "tui.undo.restored",
                    item=item_id,
                    asset=self.model.asset_by_id[asset_id].name if self.model else "",
                    result=t(f"tui.result.{finding.result}"),
                )
            )

        self.submit(
            lambda: record_finding(
                ctx,
                insp,
                item_id,
                asset_id,
                before.result,
                note=before.note,
                method=before.method,
                reason=before.na_reason if before.result == "na" else "",
            ),
            done,
        )

    def action_history(self) -> None:
        item_id, asset_id = self.current()
        if item_id is None or asset_id is None or self.model is None:
            return
        from gradesec.tui.screens.history import HistoryScreen

        asset = self.model.asset_by_id[asset_id]
        self.app.push_screen(HistoryScreen(self.ctx, self.inspection_id, item_id, asset_id, asset.name))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in WRITES and self.model is not None:
            return True if self.model.is_open else None
        return True
