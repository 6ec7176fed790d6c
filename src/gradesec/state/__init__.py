"""State: the projection of the journal into queryable tables.

Every state table is a SQLModel class (``table=True``) on the shared ``SQLModel.metadata``, defined in one of
the modules listed in ``STATE_MODULES``. Each module also registers the event kinds it understands and a
projector per kind (see ``gradesec.state.registry``). Replay and verification import every module in the list,
so a module that is not listed here is invisible to them: **append your module to the list**.
"""

from __future__ import annotations

STATE_MODULES: list[str] = [
    "gradesec.state.identity",
    "gradesec.state.assess.tables",
    "gradesec.state.assess.projectors",
    "gradesec.state.drill",
    "gradesec.state.remedy",
    "gradesec.state.judgements",
    "gradesec.state.report",
    "gradesec.state.corrections",
    "gradesec.state.workbook",
    "gradesec.state.teams",
]
