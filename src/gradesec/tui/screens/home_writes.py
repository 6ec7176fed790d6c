"""Home's writes: creating a unit, system, asset or inspection, correcting a unit or system, closing an
inspection (after a summary of what is still open and a confirmation). Each is a form or a question, then a
signed write on the app's writer thread, then a notice and the tree reloaded on what was made.

``HomeWrites`` is the part of ``home.HomeScreen`` that holds these actions; the screen gives it the selection
(``_find``) and the reload.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from gradesec.i18n import t
from gradesec.tui.screens.base import MainScreen

if TYPE_CHECKING:
    from gradesec.assess.model import Inspection, System, Unit


class HomeWrites(MainScreen):
    """The create, edit and close actions of the home screen."""

    selected: tuple[str, str] | None  # the tree's selection: ("unit" | "system" | "inspection", id)

    def _find(self) -> tuple[Unit | None, System | None, Inspection | None]:
        """The selected unit, system and inspection (the home screen's tree gives them)."""
        raise NotImplementedError

    def reload(self, select: str | None = None) -> None:
        """Read the listing again and select ``select`` (the home screen does)."""
        raise NotImplementedError

    def _create_from(
        self, form: Any, write: Callable[[dict[str, str]], Any], created: Callable[[Any], None]
    ) -> None:
        """Show ``form``; when it is submitted, run ``write(values)`` as a signed write, then ``created``."""

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self.submit(lambda: write(values), created)

        self.app.push_screen(form, done)

    def action_new_unit(self) -> None:
        from gradesec.tui.screens.create import unit_form
        from gradesec.usecases.inspections import add_unit

        ctx = self.ctx
        self._create_from(
            unit_form(),
            lambda v: add_unit(ctx, v["name"], code=v["code"], region=v["region"], contact=v["contact"]),
            lambda unit: self._created("tui.created.unit", unit.name, unit.id),
        )

    def action_new_system(self) -> None:
        unit, _system, _insp = self._find()
        if unit is None:
            return
        from gradesec.tui.screens.create import SystemForm
        from gradesec.usecases.inspections import add_system

        ctx, unit_id = self.ctx, unit.id

        def write(values: dict[str, str]) -> System:
            graded = bool(values["business"] and values["service"])
            return add_system(
                ctx,
                unit_id,
                values["name"],
                level=None if graded else int(values["level"] or 0) or None,
                business=values["business"] or None if graded else None,
                service=values["service"] or None if graded else None,
                filing_no=values["filing_no"],
                conditions=[
                    c for c in ("business_continuity", "critical_industry") if values.get(c) == "yes"
                ],
            )

        self._create_from(
            SystemForm(unit.name),
            write,
            lambda system: self._created("tui.created.system", system.name, system.id),
        )

    def action_new_asset(self) -> None:
        _unit, system, _insp = self._find()
        if system is None:
            return
        from gradesec.tui.screens.create import asset_form
        from gradesec.usecases.inspections import add_asset

        ctx, system_id, name = self.ctx, system.id, system.name
        self.with_catalog(
            lambda catalog: self._create_from(
                asset_form(catalog, name),
                lambda v: add_asset(
                    ctx, system_id, v["kind"], v["name"], address=v["address"], role=v["role"]
                ),
                lambda asset: self._created("tui.created.asset", asset.name, system_id),
            )
        )

    def action_new_inspection(self) -> None:
        _unit, system, _insp = self._find()
        if system is None:
            return
        from gradesec.tui.screens.create import InspectionForm, composed_profile
        from gradesec.usecases.inspections import new_inspection

        ctx, system_id = self.ctx, system.id
        self.with_catalog(
            lambda catalog: self._create_from(
                InspectionForm(catalog, system),
                lambda v: new_inspection(  # as `inspection new` does: with the category objects
                    ctx,
                    system_id,
                    composed_profile(v),
                    policy_id=v["policy"] or None,
                    title=v["title"],
                    category_objects=True,
                ),
                lambda insp: self._created("tui.created.inspection", insp.title or insp.id, insp.id),
            )
        )

    def action_close_inspection(self) -> None:
        """Closing is final: show what is still open, ask, then close and plan the remediation."""
        _unit, _system, insp = self._find()
        if insp is None or not insp.is_open:
            return
        from gradesec.usecases.closing import close_summary

        ctx, insp_id = self.ctx, insp.id
        # Through the writer: the summary counts every write queued before it.
        self.submit(lambda: close_summary(ctx, insp_id), self._confirm_close)

    def _confirm_close(self, summary: Any) -> None:
        from gradesec.tui.screens.confirm import ConfirmModal, close_lines
        from gradesec.usecases.remediation import close_and_plan

        if not summary.is_open:
            return
        ctx, insp_id, name = self.ctx, summary.inspection_id, summary.title

        def answered(yes: bool | None) -> None:
            if yes:
                # Closing hands the issues over to remediation tracking, as on the command line.
                self.submit(
                    lambda: close_and_plan(ctx, insp_id),
                    lambda planned: self._created("tui.created.closed", name, insp_id),
                )

        self.app.push_screen(
            ConfirmModal(
                "tui.confirm.close.title",
                close_lines(summary),
                "tui.confirm.close.button",
                warn=not summary.clean,
                name=name,
            ),
            answered,
        )

    def action_edit(self) -> None:
        """Correct the selected unit or system (a signed ``unit.updated`` / ``system.updated`` event)."""
        unit, system, _insp = self._find()
        if self.selected is None:
            return
        from gradesec.tui.screens.create import system_edit_form, unit_edit_form
        from gradesec.usecases.corrections import update_system, update_unit

        ctx = self.ctx
        if self.selected[0] == "unit" and unit is not None:
            unit_id = unit.id
            self._create_from(
                unit_edit_form(unit),
                lambda v: update_unit(ctx, unit_id, **v),
                lambda u: self._created("tui.edited", u.name, u.id),
            )
        elif self.selected[0] == "system" and system is not None:
            system_id = system.id
            self._create_from(
                system_edit_form(system),
                lambda v: update_system(ctx, system_id, **v),
                lambda s: self._created("tui.edited", s.name, s.id),
            )

    def _created(self, key: str, name: str, select: str) -> None:
        self.notify(t(key, name=name))
        self.reload(select)
