"""Importing a bundle in the TUI: pick the file, check it, accept (or refuse) its signers, see what came in.

The officer's way in: a bundle from the inspection team arrives, signed by keys this store has never seen. The
screen verifies it in full first (``usecases.bundles.review``: nothing is written), then, if some signer is
not trusted yet, shows each one's verified key id, name, role and organisation and asks. Accepting imports with
exactly those keys trusted (``usecases.bundles.import_``, as ``gradesec bundle import --trust`` does); refusing
writes nothing. Both steps run on the app's writer thread, in order with every other write.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from gradesec.errors import GradesecError
from gradesec.i18n import t
from gradesec.tui.screens.finding_forms import PathForm, PathSuggester
from gradesec.tui.screens.form import Field
from gradesec.tui.session import Nav
from gradesec.tui.widgets.footer import LocalFooter
from gradesec.tui.widgets.text import TLabel

if TYPE_CHECKING:
    from gradesec.exchange import ImportResult
    from gradesec.journal.keys import Identity
    from gradesec.usecases.bundles import Review


class BundlePathForm(PathForm):
    """The bundle file: typed (completed as you type) or chosen with the file picker (Browse, ``ctrl+o``)."""

    browse_from = Path.cwd

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "browse", "tui.evidence.browse", id="bundle.browse"),
    ]

    def __init__(self, value: str = "") -> None:
        super().__init__(
            "officer.import.pick_title",
            [
                Field(
                    "path",
                    "officer.import.path",
                    value=value,
                    required=True,
                    suggester=PathSuggester(),
                    placeholder="officer.import.placeholder",
                )
            ],
            "officer.import.check",
        )


def identity_lines(key_id: str, identity: Identity) -> list[str]:
    """One signer as the trust prompt shows it: the key id (verified), then who the key's chain says it is."""
    from gradesec.journal.keys import format_key_id

    role = t(f"tui.role.{identity.role}") if identity.role else "-"
    return [
        t("officer.trust.key", key=format_key_id(key_id)),
        t("officer.trust.name", name=identity.name or "-"),
        t("officer.trust.role", role=role),
        t("officer.trust.org", org=identity.org or "-"),
    ]


def trust_lines(review: Review) -> list[str]:
    """The body of the trust prompt: what the bundle holds, each untrusted signer, what accepting means."""
    m = review.manifest
    lines = [
        t(
            "officer.trust.bundle",
            events=m.events,
            new=review.new_events,
            blobs=len(m.evidence),
            inspection=m.inspection or "-",
        ),
        t("officer.trust.checked"),
        "",
    ]
    for key_id, identity in review.untrusted.items():
        lines += identity_lines(key_id, identity)
        lines.append("")
    lines.append(t("officer.trust.meaning"))
    lines.append(t("officer.trust.refuse_hint"))
    return lines


def result_lines(result: ImportResult) -> list[str]:
    from gradesec.journal.keys import format_key_id

    lines = []
    for kid in result.trusted:
        ident = result.trusted_identities.get(kid, {})
        lines.append(
            t(
                "bundle.trusted_identity",
                key=format_key_id(kid),
                name=ident.get("name", "") or "-",
                role=ident.get("role", "") or "-",
                org=ident.get("org", "") or "-",
            )
        )
    if result.noop:
        lines.append(t("bundle.noop"))
    else:
        lines.append(
            t(
                "bundle.imported",
                new=result.imported,
                known=result.already,
                blobs=result.blobs,
                cps=result.checkpoints,
            )
        )
    return lines


class ImportScreen(Screen[None]):
    """Import a bundle: the file, the check, the trust prompt, the summary; ``r`` then opens the board."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "tui.key.back", id="import.back"),
        Binding("f", "pick", "officer.import.key.pick", id="import.pick"),
        Binding("r", "board", "officer.import.key.board", id="import.board"),
    ]

    def __init__(self, nav: Nav) -> None:
        super().__init__()
        self.nav = nav
        self.path: Path | None = None
        self.inspection: str | None = None  # the imported bundle's inspection (the board opens on it)
        self.outcome = ""  # "imported", "refused", "failed" (read by tests and the summary)

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with VerticalScroll(id="import-body"):
            yield TLabel("officer.import.title", classes="section-title")
            yield Static(t("officer.import.intro"), id="import-status", markup=False)
            yield Static("", id="import-summary", markup=False)
        yield LocalFooter()

    @property
    def ctx(self) -> Any:
        return self.nav.session.ctx

    def on_mount(self) -> None:
        self.sub_title = t("officer.import.title")
        if self.ctx is None:
            self._status(t("officer.import.no_store"))
            return
        self.action_pick()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "board":
            return True if self.outcome == "imported" else None
        if action == "pick":
            return True if self.ctx is not None else None
        return True

    def _status(self, text: str, summary: str = "") -> None:
        self.query_one("#import-status", Static).update(text)
        self.query_one("#import-summary", Static).update(summary)
        self.refresh_bindings()

    # The steps

    def action_pick(self) -> None:
        def chosen(values: dict[str, str] | None) -> None:
            if values is not None:
                self.start(Path(os.path.expanduser(values["path"].strip())))

        self.app.push_screen(BundlePathForm(str(self.path or "")), chosen)

    def start(self, path: Path) -> None:
        """Check ``path`` (nothing is written), then ask about untrusted signers or import straight away."""
        from gradesec.usecases import bundles

        self.path, self.outcome, self.inspection = path, "", None
        self._status(t("officer.import.checking", path=str(path)))
        ctx = self.ctx

        def work() -> Review | GradesecError:
            try:
                return bundles.review(ctx, path)
            except GradesecError as exc:
                return exc

        self.app.writer.submit(self, work, self._reviewed)  # type: ignore[attr-defined]

    def _reviewed(self, review: Review | GradesecError) -> None:
        if isinstance(review, GradesecError):
            self._failed(review)
            return
        if not review.untrusted:
            self._import(review, [])
            return
        from gradesec.tui.screens.confirm import ConfirmModal

        keys = list(review.untrusted)

        def answered(yes: bool | None) -> None:
            if yes:
                self._import(review, keys)
            else:
                self.outcome = "refused"
                self._status(t("officer.import.refused"), "\n".join(trust_lines(review)))
                self.notify(t("officer.import.refused"), severity="warning")

        self.app.push_screen(
            ConfirmModal("officer.trust.title", trust_lines(review), "officer.trust.accept", n=len(keys)),
            answered,
        )

    def _import(self, review: Review, keys: list[str]) -> None:
        from gradesec.usecases import bundles

        ctx, path = self.ctx, self.path
        assert path is not None
        self._status(t("officer.import.importing", path=str(path)))

        def work() -> ImportResult | GradesecError:
            try:
                return bundles.import_(ctx, path, trust=keys)
            except GradesecError as exc:
                return exc

        def done(result: ImportResult | GradesecError) -> None:
            if isinstance(result, GradesecError):
                self._failed(result)
                return
            self.outcome = "imported"
            self.inspection = review.manifest.inspection
            lines = result_lines(result)
            self._status(
                t("officer.import.done", path=str(path)), "\n".join([*lines, "", t("officer.import.next")])
            )
            self.notify(lines[-1], title=t("officer.import.done_title"), markup=False)

        self.app.writer.submit(self, work, done)  # type: ignore[attr-defined]

    def _failed(self, error: GradesecError) -> None:
        self.outcome = "failed"
        self._status(t("officer.import.failed"), "\n".join(x for x in (error.message, error.hint or "") if x))
        self.app.show_error(error)  # type: ignore[attr-defined]

    def action_board(self) -> None:
        if self.outcome != "imported":
            return
        from gradesec.tui.screens.remedy import RemedyScreen

        self.app.push_screen(RemedyScreen(Nav(self.nav.session, inspection_id=self.inspection)))

    def action_back(self) -> None:
        self.app.pop_screen()

    def relabel(self) -> None:
        self.sub_title = t("officer.import.title")
