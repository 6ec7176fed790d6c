"""The inspection workspace: walk the items, record results per asset, and watch the score grow.

The screen holds a ``WorkspaceModel`` (headless) and passes it down to its widgets; widgets post messages up.
Every write goes through the app's writer thread; when it is stored, the model, the item's row and mark, and
the score are updated in place (nothing is reloaded).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Header, Input, Select

from gradesec.i18n import get_lang, t
from gradesec.tui.screens.base import MainScreen, feature_bindings
from gradesec.tui.session import Nav
from gradesec.tui.widgets.asset_grid import AssetGrid
from gradesec.tui.widgets.footer import LocalFooter
from gradesec.tui.widgets.item_detail import ItemDetail
from gradesec.tui.widgets.item_tree import ItemTree
from gradesec.tui.widgets.score_panel import ScorePanel
from gradesec.tui.workspace_model import FILTERS, Query, WorkspaceModel

if TYPE_CHECKING:
    from gradesec.assess.model import Finding, Issue

NARROW = 110  # below this width the score panel folds into one line


def load_workspace(ctx: Any, inspection_id: str, policy_id: str | None = None) -> WorkspaceModel:
    """Read one inspection and its live score under ``policy_id`` (default: its own policy; runs in a worker)."""
    from gradesec.usecases.inspections import live_score, load_inspection

    view = load_inspection(ctx, inspection_id)  # reads the catalog too, in this worker
    names = {kid: who.name for kid, who in ctx.store.known_identities().items()}
    if policy_id not in view.inspection.policies:
        policy_id = None
    return WorkspaceModel(view, live_score(ctx, inspection_id, policy_id), ctx.catalog, names)


class WorkspaceScreen(MainScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "record('compliant')", "tui.key.compliant", id="ws.record.compliant"),
        Binding("2", "record('partial')", "tui.key.partial", id="ws.record.partial"),
        Binding("3", "record('noncompliant')", "tui.key.noncompliant", id="ws.record.noncompliant"),
        Binding("4", "record('na')", "tui.key.na", id="ws.record.na"),
        Binding("n", "note", "tui.key.note", id="ws.note"),
        Binding("e", "evidence", "tui.key.evidence", id="ws.evidence"),
        Binding("r", "risk", "tui.key.risk", id="ws.risk"),
        Binding("d", "resolve", "tui.key.resolve", id="ws.resolve", show=False),
        Binding("m", "method", "tui.key.method", id="ws.method", show=False),
        Binding("u", "next_unanswered", "tui.key.next_unanswered", id="ws.next_unanswered"),
        Binding("ctrl+z", "undo", "tui.key.undo", id="ws.undo"),
        Binding("U", "next_unrated", "tui.key.next_unrated", id="ws.next_unrated", show=False),
        Binding("i", "problems", "tui.key.problems", id="ws.problems", show=False),
        Binding("delete,backspace", "retract", "tui.key.retract", id="ws.retract", show=False),
        Binding("h", "history", "tui.key.history", id="ws.history", show=False),
        Binding("x", "export", "tui.key.export", id="ws.export", show=False),
        Binding("w", "import_workbook", "workbook.tui.key", id="ws.import_workbook", show=False),
        Binding("right_square_bracket", "asset(1)", "tui.key.next_asset", id="ws.asset.next", show=False),
        Binding("left_square_bracket", "asset(-1)", "tui.key.prev_asset", id="ws.asset.prev", show=False),
        Binding("slash", "search", "tui.key.search", id="ws.search", show=False),
        Binding("f", "cycle_filter", "tui.key.filter", id="ws.filter", show=False),
        Binding("a", "asset_filter", "tui.key.asset_filter", id="ws.asset_filter", show=False),
        Binding("p", "cycle_policy", "tui.key.policy", id="ws.policy", show=False),
        Binding("s", "toggle_score", "tui.key.score", id="ws.score", show=False),
        Binding("escape", "back", "tui.key.back", id="ws.back", show=False),
        *feature_bindings(show=False),
    ]

    # What the footer keeps at 80 columns (after help and quit): recording, the next pair, risk, note.
    FOOTER_FIRST = (
        "record('compliant')",
        "record('partial')",
        "record('noncompliant')",
        "record('na')",
        "next_unanswered",
        "risk",
        "note",
        "evidence",
        "undo",
    )

    @dataclass
    class Loaded(Message):
        model: WorkspaceModel

    def __init__(self, inspection_id: str) -> None:
        super().__init__()
        self.inspection_id = inspection_id
        self.model: WorkspaceModel | None = None
        self.query_state = Query()
        self.item_id: str | None = None
        # After 1/2/3 the cursor moves on by itself; until the user moves it, n/r/e/m act on the pair just
        # recorded: (item, asset recorded, asset the cursor landed on).
        self.sticky: tuple[str, str, str] | None = None
        # What ctrl+z takes back: each result stored from this screen, with the revision it replaced.
        self.undo_stack: list[tuple[str, str, Finding | None]] = []

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with Horizontal(id="ws-filters"):
            yield Input(placeholder=t("tui.ws.search"), id="ws-search", compact=True)
            yield Select(self._mode_options(), value="all", allow_blank=False, id="ws-mode", compact=True)
            yield Select([], prompt=t("tui.ws.all_assets"), id="ws-asset", compact=True)
        with Horizontal(id="ws-main"):
            yield ItemTree(id="ws-tree")
            with Vertical(id="ws-center"):
                with VerticalScroll(id="ws-detail-scroll"):
                    yield ItemDetail(id="ws-detail")
                yield AssetGrid(id="ws-grid")
            yield ScorePanel(id="ws-score")
        yield ScorePanel(id="ws-score-line", compact=True)
        yield LocalFooter()

    def _mode_options(self) -> list[tuple[str, str]]:
        return [(t(f"tui.filter.{mode}"), mode) for mode in FILTERS]

    def on_mount(self) -> None:
        self.title = "gradesec"
        self.sub_title = t("tui.boot.opening")
        self.query_one(ItemTree).focus()
        self._load()

    def on_resize(self) -> None:
        self.set_class(self.app.size.width < NARROW, "-narrow")

    def on_screen_resume(self) -> None:
        self.on_resize()

    @work(thread=True, exclusive=True, exit_on_error=False, group="ws-load")
    def _load(self) -> None:
        chosen = self.session.policies.get(self.inspection_id)
        self.post_message(self.Loaded(load_workspace(self.ctx, self.inspection_id, chosen)))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.model = event.model
        self.session.catalog = event.model.catalog
        view = event.model.view
        self.sub_title = self._subtitle()
        assets = self.query_one("#ws-asset", Select)
        assets.set_options([(a.name, a.id) for a in view.assets])
        self.rebuild()
        self.show_score()
        if not event.model.is_open:
            self.notify(t("tui.ws.closed_notice"), severity="warning")

    def _subtitle(self) -> str:
        if self.model is None:
            return ""
        view = self.model.view
        title = view.inspection.title or view.inspection.id
        return f"{view.system.name} · {t('tui.level', level=view.inspection.level)} · {title}"

    # Showing

    def rebuild(self) -> None:
        if self.model is None:
            return
        tree = self.query_one(ItemTree)
        tree.build(self.model, self.query_state, get_lang(), keep=self.item_id)
        if not tree.item_nodes:
            self.item_id = None
            self.show_item(None)

    def show_item(self, item_id: str | None, keep_asset: str | None = None) -> None:
        if self.model is None:
            return
        self.item_id = item_id
        lang = get_lang()
        self.query_one(ItemDetail).show_item(self.model, item_id, lang)
        self.query_one("#ws-detail-scroll").scroll_home(animate=False)
        keep = keep_asset or self.query_state.asset_id
        self.query_one(AssetGrid).show_item(self.model, item_id, lang, keep)

    def show_score(self) -> None:
        if self.model is None:
            return
        result = self.model.score()
        title = self.model.inspection.policies[self.model.policy_id].title
        for panel in self.query(ScorePanel):
            panel.show(result, self.model.catalog, title)

    @on(ItemTree.ItemChosen)
    def _item_chosen(self, event: ItemTree.ItemChosen) -> None:
        if event.item_id != self.item_id:
            self.sticky = None
            self.show_item(event.item_id)

    @on(AssetGrid.AssetChosen)
    def _asset_chosen(self, event: AssetGrid.AssetChosen) -> None:
        # The cursor moved: by itself after recording (onto the landing row), else on purpose.
        if self.sticky is not None and (self.item_id, event.asset_id) != (self.sticky[0], self.sticky[2]):
            self.sticky = None

    # Filters

    @on(Input.Changed, "#ws-search")
    def _search(self, event: Input.Changed) -> None:
        self.query_state.text = event.value
        self.rebuild()

    @on(Input.Submitted, "#ws-search")
    def _search_done(self) -> None:
        self.query_one(ItemTree).focus()

    @on(Select.Changed, "#ws-mode")
    def _mode(self, event: Select.Changed) -> None:
        if event.value in FILTERS:
            self.query_state.mode = event.value  # type: ignore[assignment]
            self.rebuild()

    @on(Select.Changed, "#ws-asset")
    def _asset(self, event: Select.Changed) -> None:
        self.query_state.asset_id = None if event.value is Select.NULL else str(event.value)
        self.rebuild()
        self.show_item(self.item_id)

    def action_search(self) -> None:
        self.query_one("#ws-search", Input).focus()

    def action_cycle_filter(self) -> None:
        select = self.query_one("#ws-mode", Select)
        current = FILTERS.index(self.query_state.mode)
        select.value = FILTERS[(current + 1) % len(FILTERS)]

    def action_asset_filter(self) -> None:
        select = self.query_one("#ws-asset", Select)
        select.focus()
        select.action_show_overlay()

    # Where the user is

    def current(self) -> tuple[str | None, str | None]:
        return self.item_id, self.query_one(AssetGrid).current_asset()

    def nav(self) -> Nav:
        system = self.model.view.system.id if self.model else None
        unit = self.model.view.system.unit_id if self.model else None
        return Nav(self.session, unit, system, self.inspection_id)

    def export_name(self) -> str | None:
        return self._subtitle() or None

    def action_asset(self, step: int) -> None:
        grid = self.query_one(AssetGrid)
        if grid.row_count:
            grid.move_cursor(row=max(0, min(grid.row_count - 1, grid.cursor_row + step)), animate=False)

    def action_next_unanswered(self) -> None:
        if self.model is None:
            return
        tree = self.query_one(ItemTree)
        order = list(tree.item_nodes)
        item_id, asset_id = self.current()
        # Just after recording the cursor sits on a row it moved to by itself: that row counts as next.
        here = self.sticky is not None and (item_id, asset_id) == (self.sticky[0], self.sticky[2])
        found = self.model.next_unanswered(
            item_id, asset_id, order, self.query_state.asset_id, include_current=here
        )
        self.sticky = None
        if found is None:
            self.notify(t("tui.ws.all_answered"))
            return
        next_item, next_asset = found
        if next_item != self.item_id:
            self.show_item(next_item, keep_asset=next_asset)
            tree.select_item(next_item)
        else:
            self.query_one(AssetGrid).select_asset(next_asset)

    def action_problems(self) -> None:
        """Every open problem of the inspection on one page; Enter goes to the chosen one."""
        if self.model is None:
            return
        from gradesec.tui.screens.problems import ProblemsScreen

        def chosen(pair: tuple[str, str] | None) -> None:
            if pair is not None:
                self._go_to(*pair)

        self.app.push_screen(ProblemsScreen(self.model, list(self.query_one(ItemTree).item_nodes)), chosen)

    def _go_to(self, item_id: str, asset_id: str) -> None:
        self.sticky = None
        tree = self.query_one(ItemTree)
        if item_id not in tree.item_nodes:  # hidden by a filter: show everything again
            self.query_one("#ws-mode", Select).value = "all"
            self.query_one("#ws-search", Input).value = ""
            self.query_state = Query()
            self.rebuild()
        if item_id != self.item_id:
            self.show_item(item_id, keep_asset=asset_id)
            tree.select_item(item_id)
        else:
            self.query_one(AssetGrid).select_asset(asset_id)

    def action_next_unrated(self) -> None:
        """The next issue that still needs its risk rated (r rates it)."""
        if self.model is None:
            return
        tree = self.query_one(ItemTree)
        item_id, asset_id = self.current()
        found = self.model.next_unrated(item_id, asset_id, list(tree.item_nodes))
        self.sticky = None
        if found is None:
            self.notify(t("tui.ws.all_rated"))
            return
        next_item, next_asset = found
        if next_item != self.item_id:
            self.show_item(next_item, keep_asset=next_asset)
            tree.select_item(next_item)
        else:
            self.query_one(AssetGrid).select_asset(next_asset)

    def action_back(self) -> None:
        focused = self.focused
        if isinstance(focused, Input | Select):
            self.query_one(ItemTree).focus()
            return
        self.dismiss(None)

    def action_toggle_score(self) -> None:
        self.toggle_class("-score-hidden" if self.app.size.width >= NARROW else "-score-shown")

    def action_cycle_policy(self) -> None:
        if self.model is None:
            return
        ids = self.model.policy_ids()
        if len(ids) < 2:
            return
        nxt = ids[(ids.index(self.model.policy_id) + 1) % len(ids)]
        self.model.set_policy(nxt)
        self.session.policies[self.inspection_id] = nxt  # home scores with the same policy
        self.show_score()
        title = self.model.inspection.policies[nxt].title
        self.notify(t("tui.ws.policy_now", policy=title.get(get_lang()) or nxt))

    # Recording

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

    def action_record(self, result: str) -> None:
        target = self._target()
        if target is None:
            return
        item_id, asset_id, previous = target
        if result == "na":
            from gradesec.tui.screens.finding_forms import na_form

            def with_reason(values: dict[str, str] | None) -> None:
                if values is not None:
                    self._store(item_id, asset_id, "na", previous, reason=values["reason"])
                    self.sticky = (item_id, asset_id, asset_id)

            subject = self.subject(item_id, asset_id)
            self.app.push_screen(na_form(previous.na_reason if previous else "", subject), with_reason)
            return
        self._store(item_id, asset_id, result, previous)
        grid = self.query_one(AssetGrid)
        grid.next_row()
        self.sticky = (item_id, asset_id, grid.current_asset() or asset_id)

    def subject(self, item_id: str, asset_id: str) -> str:
        """How a dialog names the pair it acts on: the item (id and the start of its wording) and the asset."""
        from gradesec.textwidth import clip

        assert self.model is not None
        ri = self.model.resolved.get(item_id)
        wording = clip(ri.text.get(get_lang()).replace("\n", " "), 36) if ri is not None else ""
        asset = self.model.asset_by_id[asset_id]
        return t("tui.finding.subject", item=item_id, title=wording, asset=asset.name)

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
        """After a write: the item's line in the tree, its asset row when shown, and the score."""
        self.query_one(ItemTree).update_item(item_id)
        if item_id == self.item_id:
            self.query_one(AssetGrid).update_asset(asset_id)
        self.show_score()

    def action_note(self) -> None:
        target = self._target(need_result=True)
        if target is None:
            return
        item_id, asset_id, previous = target
        assert previous is not None
        from gradesec.tui.screens.finding_forms import note_form

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self._store(item_id, asset_id, previous.result, previous, note=values["note"])

        self.app.push_screen(note_form(previous.note, self.subject(item_id, asset_id)), done)

    def action_method(self) -> None:
        target = self._target(need_result=True)
        if target is None:
            return
        item_id, asset_id, previous = target
        assert previous is not None
        from gradesec.tui.screens.finding_forms import method_form

        methods = self._methods(item_id)

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self._store(item_id, asset_id, previous.result, previous, method=values["method"] or None)

        self.app.push_screen(
            method_form(methods, previous.method or "", self.subject(item_id, asset_id)), done
        )

    def _methods(self, item_id: str) -> list[str]:
        ri = self.model.resolved.get(item_id) if self.model else None
        return list(ri.item.methods) if ri is not None else ["interview", "examine", "test"]

    def action_evidence(self) -> None:
        target = self._target(need_result=True)
        if target is None:
            return
        item_id, asset_id, previous = target
        assert previous is not None
        from gradesec.tui.screens.finding_forms import evidence_form

        def done(values: dict[str, str] | None) -> None:
            if values is not None and values["path"].strip():
                self._store(item_id, asset_id, previous.result, previous, evidence=(values["path"].strip(),))

        self.app.push_screen(evidence_form(self.subject(item_id, asset_id)), done)

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

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            from gradesec.usecases.inspections import rate_issue

            ctx, insp = self.ctx, self.inspection_id
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
        self.app.push_screen(RiskForm(issue, allowed, self.subject(item_id, asset_id)), done)

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

        choices = [(self.model.author_name(kid), result) for kid, result in sorted(dispute.results.items())]

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            from gradesec.usecases.inspections import resolve_disagreement

            ctx, insp = self.ctx, self.inspection_id
            self.submit(
                lambda: resolve_disagreement(
                    ctx, insp, item_id, asset_id, values["result"], reason=values["reason"]
                ),
                self._ruled,
            )

        self.app.push_screen(ruling_form(choices, self.subject(item_id, asset_id)), done)

    def _ruled(self, finding: Finding) -> None:
        if self.model is None:
            return
        self.model.put_ruling(finding)
        if finding.item_id == self.item_id:
            self.query_one(ItemDetail).show_item(self.model, self.item_id, get_lang())
        self._redraw_pair(finding.item_id, finding.asset_id)
        self.notify(t("tui.ws.ruled", result=t(f"tui.result.{finding.result}")))

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

    def action_import_workbook(self) -> None:
        """Import a record workbook into this inspection (screens/workbook_import.py)."""
        from gradesec.tui.screens.workbook_import import WorkbookImport

        WorkbookImport(self, self.inspection_id, lambda: self._load()).start()

    def action_history(self) -> None:
        item_id, asset_id = self.current()
        if item_id is None or asset_id is None or self.model is None:
            return
        from gradesec.tui.screens.history import HistoryScreen

        asset = self.model.asset_by_id[asset_id]
        self.app.push_screen(HistoryScreen(self.ctx, self.inspection_id, item_id, asset_id, asset.name))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        writes = (
            "record",
            "note",
            "evidence",
            "risk",
            "method",
            "resolve",
            "retract",
            "undo",
            "import_workbook",
        )
        if action in writes and self.model is not None:
            return True if self.model.is_open else None
        return True

    # Language

    def relabel(self) -> None:
        self.sub_title = self._subtitle()
        self.query_one("#ws-search", Input).placeholder = t("tui.ws.search")
        mode = self.query_one("#ws-mode", Select)
        with self.prevent(Select.Changed):
            mode.set_options(self._mode_options())
            mode.value = self.query_state.mode
        self.query_one("#ws-asset", Select).prompt = t("tui.ws.all_assets")
        if self.model is not None:
            self.rebuild()
            self.show_item(self.item_id, self.query_one(AssetGrid).current_asset())
            self.show_score()
