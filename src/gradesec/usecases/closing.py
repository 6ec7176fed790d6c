"""What is still open in an inspection, shown before it is closed (closing is final: the issues go to
remediation tracking and results can no longer be recorded)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from gradesec.usecases.inspection_view import load_inspection

if TYPE_CHECKING:
    from gradesec.usecases.context import Context


@dataclass(frozen=True)
class CloseSummary:
    inspection_id: str
    title: str
    recorded: int
    applicable: int
    issues: int
    unrated: int
    disputes: int
    is_open: bool

    @property
    def untested(self) -> int:
        return max(0, self.applicable - self.recorded)

    @property
    def clean(self) -> bool:
        """Nothing left: every pair has a result, every issue a risk, no open disagreement."""
        return self.untested == 0 and self.unrated == 0 and self.disputes == 0


def close_summary(ctx: Context, inspection_id: str) -> CloseSummary:
    view = load_inspection(ctx, inspection_id)
    insp = view.inspection
    return CloseSummary(
        inspection_id=insp.id,
        title=insp.title or insp.id,
        recorded=view.progress.recorded,
        applicable=view.progress.applicable,
        issues=len(view.issues),
        unrated=sum(1 for issue in view.issues if issue.risk is None),
        disputes=len(view.disagreements),
        is_open=insp.is_open,
    )
