"""Deadlines of remediation items: a date set by hand is never in the past, and one later than the profile allows
for the item's risk is kept but named (a warning, not a refusal: the unit may have agreed a later date).

The limit is the planning day plus the profile's days for the risk (``Profile.remediation_days``), the same
rule that gives an item its default deadline (``gradesec.remedy.lifecycle.default_deadline``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from gradesec.errors import UsageError
from gradesec.i18n import t
from gradesec.remedy.lifecycle import default_deadline

if TYPE_CHECKING:
    from gradesec.usecases.context import Context


@dataclass(frozen=True)
class DeadlineCheck:
    deadline: str  # ISO date
    limit: str  # the latest date the profile allows for the risk
    risk: str

    @property
    def beyond(self) -> bool:
        return self.deadline > self.limit

    def warning(self) -> str | None:
        """One sentence when the deadline is later than the profile allows, else None."""
        if not self.beyond:
            return None
        late = (date.fromisoformat(self.deadline) - date.fromisoformat(self.limit)).days
        return t(
            "officer.deadline.beyond",
            deadline=self.deadline,
            limit=self.limit,
            risk=t(f"remedy.risk.{self.risk}"),
            days=late,
        )


def profile_days(ctx: Context, inspection_id: str | None) -> dict[str, int] | None:
    """The profile's remediation days per risk for an inspection's items (None: the defaults)."""
    if inspection_id is None:
        return None
    from gradesec.errors import GradesecError
    from gradesec.usecases.inspections import get_inspection

    try:
        insp = get_inspection(ctx, inspection_id)
    except GradesecError:
        return None  # an item imported without its inspection: the default days
    profile = ctx.catalog.find_profile(insp.profile_id)
    if profile is None:
        return None
    return {str(k): int(v) for k, v in profile.remediation_days.items()}


def check_deadline(
    ctx: Context,
    value: str,
    *,
    risk: str,
    planned_at: str | None,
    inspection_id: str | None,
    today: str,
    name: str = "deadline",
) -> DeadlineCheck:
    """Parse and check a deadline set by hand: refused when unreadable or before ``today``."""
    try:
        day = date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise UsageError(
            t("remedy.error.bad_date", field=name, value=value), t("remedy.error.bad_date.hint")
        ) from None
    if day < today:
        raise UsageError(
            t("officer.deadline.past", deadline=day, today=today), t("officer.deadline.past.hint")
        )
    limit = default_deadline(planned_at or today, risk, profile_days(ctx, inspection_id))
    return DeadlineCheck(day, limit, risk)
