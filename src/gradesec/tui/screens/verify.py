"""Integrity check of the whole store: runs ``Store.verify`` in a worker and shows progress, then the result
per author and one row per problem."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, ProgressBar, Static

from gradesec.i18n import t
from gradesec.tui.session import Nav
from gradesec.tui.widgets.footer import LocalFooter
from gradesec.tui.widgets.text import TLabel, TStatic

if TYPE_CHECKING:
    from gradesec.journal.verify import VerifyReport


@dataclass(frozen=True)
class AuthorRow:
    key_id: str
    name: str
    role: str
    events: int
    problems: int


class VerifyScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "tui.key.back", id="verify.back"),
        Binding("r", "run", "tui.key.verify_again", id="verify.run"),
    ]

    @dataclass
    class Started(Message):
        total: int

    @dataclass
    class Advanced(Message):
        n: int

    @dataclass
    class Done(Message):
        report: VerifyReport
        authors: list[AuthorRow]

    def __init__(self, nav: Nav) -> None:
        super().__init__()
        self.nav = nav
        self.report: VerifyReport | None = None
        self.authors: list[AuthorRow] = []

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with Vertical(id="verify"):
            yield TLabel("tui.verify.title", classes="section-title")
            yield TStatic("tui.verify.what", classes="hint")
            yield ProgressBar(id="verify-progress", show_eta=False)
            yield Static("", id="verify-summary", markup=False)
            yield TLabel("tui.verify.authors", classes="section-title")
            yield DataTable(id="verify-authors", cursor_type="row", zebra_stripes=True)
            yield TLabel("tui.verify.problems", classes="section-title")
            yield DataTable(id="verify-problems", cursor_type="row", zebra_stripes=True)
        yield LocalFooter()

    def on_mount(self) -> None:
        self.sub_title = t("tui.nav.verify")
        self.action_run()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_run(self) -> None:
        self.report = None
        self.query_one("#verify-summary", Static).update(t("tui.verify.running"))
        self.query_one(ProgressBar).update(total=None, progress=0)
        self._verify()

    @work(thread=True, exclusive=True, exit_on_error=False, group="verify")
    def _verify(self) -> None:
        from gradesec.journal.store import Store

        with Store.open(self.nav.session.store_dir) as store:
            total = store.count() + len(store.evidence.blobs())
            self.post_message(self.Started(total))

            def advance(n: int) -> None:
                self.post_message(self.Advanced(n))

            report = store.verify(progress=advance)
            identities = store.known_identities()
            bad: dict[str, int] = {}
            for problem in report.problems:
                if problem.author:
                    bad[problem.author] = bad.get(problem.author, 0) + 1
            authors = []
            for key_id in sorted({*identities, *bad}):
                ident = identities.get(key_id)
                seq, _hash = store.head(key_id)
                authors.append(
                    AuthorRow(
                        key_id,
                        ident.name if ident else "",
                        ident.role if ident else "",
                        seq,
                        bad.get(key_id, 0),
                    )
                )
        self.post_message(self.Done(report, authors))

    @on(Started)
    def _started(self, event: Started) -> None:
        self.query_one(ProgressBar).update(total=max(event.total, 1), progress=0)

    @on(Advanced)
    def _advanced(self, event: Advanced) -> None:
        self.query_one(ProgressBar).advance(event.n)

    @on(Done)
    def _done(self, event: Done) -> None:
        self.report = event.report
        self.authors = event.authors
        bar = self.query_one(ProgressBar)
        bar.update(progress=bar.total or 0)
        self.show()

    def show(self) -> None:
        from gradesec.journal.keys import format_key_id

        report = self.report
        if report is None:
            return
        summary = self.query_one("#verify-summary", Static)
        if report.ok:
            summary.update(
                t(
                    "verify.ok",
                    events=report.events,
                    authors=report.authors,
                    checkpoints=report.checkpoints,
                    blobs=report.blobs,
                )
            )
            summary.set_classes("verify-ok")
        else:
            summary.update(t("verify.failed", n=len(report.problems)))
            summary.set_classes("verify-bad")
        authors = self.query_one("#verify-authors", DataTable)
        authors.clear(columns=True)
        authors.add_columns(
            t("tui.verify.col.author"),
            t("tui.field.role"),
            t("tui.verify.col.key"),
            t("tui.verify.col.events"),
            t("tui.verify.col.result"),
        )
        for row in self.authors:
            authors.add_row(
                row.name or "?",
                t(f"tui.role.{row.role}") if row.role else "",
                format_key_id(row.key_id)[:19],
                str(row.events),
                t("tui.verify.author_ok") if not row.problems else t("tui.verify.author_bad", n=row.problems),
            )
        problems = self.query_one("#verify-problems", DataTable)
        problems.clear(columns=True)
        problems.add_columns(t("tui.verify.col.where"), t("tui.verify.col.what"))
        for problem in report.problems:
            problems.add_row(problem.where(), problem.message)
        if report.ok:
            problems.add_row("", t("tui.verify.no_problems"))

    def relabel(self) -> None:
        self.sub_title = t("tui.nav.verify")
        self.show()
