"""Who may write what: one declared table, enforced by append, import, bundle verify and verify alike.

A role is the one the store's owner accepted for a key (its ``key.trusted`` event), or, for the owner and for a
key the owner has not vouched for with a role, the role the key declared when its chain began. A key cannot
change its own role: a ``key.identity`` naming another role than the one it declared first is refused unless
the trusting owner has signed that role for it (a new ``key.trusted``, written by ``bundle import --trust`` on
a key already trusted, which shows the new role, or by ``key trust``); the owner's own key cannot change role.

The rules (roles: inspector, officer, lead, reviewer):

- an inspection and its results (opening, scope, findings, rulings, risk ratings, closing, reopening, re-test
  rounds) are written by inspectors, reviewers and the lead — never by the inspected unit's officer;
- remediation follows ``gradesec.remedy.lifecycle.PERMISSIONS``: plans and re-tests (verify, reopen) by
  inspectors, reviewers or the lead; fixes, starts and accepted risks by the unit;
- once an inspection has a declared team (``inspection.team_set``, by its creator or a lead), only the team
  writes its results (``TEAM_KINDS``; see ``gradesec.state.teams``);
- drills are run by the lead;
- anything else (units, systems, assets, evidence, keys, checkpoints) by any trusted key.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from gradesec.remedy.lifecycle import may

if TYPE_CHECKING:
    from gradesec.journal.events import Event

ASSESSORS = frozenset({"inspector", "reviewer", "lead"})
LEAD = frozenset({"lead"})

# kind -> the roles that may write it (kinds not listed: any trusted key; remediation kinds: see below).
AUTHORITY: dict[str, frozenset[str]] = {
    "inspection.opened": ASSESSORS,
    "inspection.assets_added": ASSESSORS,
    "inspection.closed": ASSESSORS,
    "inspection.reopened": ASSESSORS,
    "finding.recorded": ASSESSORS,
    "finding.resolved": ASSESSORS,
    "issue.rated": ASSESSORS,
    "remediation.round": ASSESSORS,
    "inspection.team_set": ASSESSORS,
    "drill.started": LEAD,
    "drill.team_set": LEAD,
    "drill.inject_released": LEAD,
    "drill.expectation_marked": LEAD,
    "drill.observation": LEAD,
    "drill.paused": LEAD,
    "drill.resumed": LEAD,
    "drill.closed": LEAD,
    "drill.improvement_raised": LEAD,
}


# An inspection's results: once the inspection has a declared team (``inspection.team_set``), only its members
# write these (see gradesec.state.teams).
TEAM_KINDS = frozenset(
    {
        "inspection.assets_added",
        "inspection.closed",
        "inspection.reopened",
        "finding.recorded",
        "finding.resolved",
        "issue.rated",
        "remediation.round",
    }
)


TeamLookup = Callable[[str], tuple[str | None, frozenset[str]]]
"""inspection id -> (its creator, its declared team; empty: none declared), as some holder of events knows it."""


def team_verdict(
    event: Event, role: str, creator: str | None, team: frozenset[str] | set[str]
) -> tuple[str, str] | None:
    """The team rule, decided here and nowhere else (append, import, bundle verify, verify and the hub all ask
    it): ``("team", role)`` when ``event`` sets a team without being the inspection's creator or a lead, or
    writes the inspection's results (``TEAM_KINDS``) while a team is declared and its author is not on it."""
    if event.kind == "inspection.team_set":
        return None if role == "lead" or (creator and creator == event.author) else ("team", role)
    if event.kind not in TEAM_KINDS:
        return None
    return None if not team or event.author in team else ("team", role)


def team_problem(db: sqlite3.Connection, event: Event, role: str) -> tuple[str, str] | None:
    """``team_verdict`` against the teams a store's state holds before ``event``."""
    from gradesec.state.teams import creator_of, team_of

    inspection = event.body.get("inspection")
    if not isinstance(inspection, str):
        return None
    if event.kind == "inspection.team_set":
        return team_verdict(event, role, creator_of(db, inspection), set())
    return team_verdict(event, role, None, team_of(db, inspection))


class TeamLedger:
    """The team rule over a stream of events not yet written (a bundle being read): teams start as ``lookup``
    says the receiving store or hub holds them, and follow the stream's own ``inspection.opened`` and
    ``inspection.team_set`` events (``learn``), as the store's projections would once they are written."""

    def __init__(self, lookup: TeamLookup) -> None:
        self.lookup = lookup
        self.known: dict[str, tuple[str | None, frozenset[str]]] = {}

    def _get(self, inspection: str) -> tuple[str | None, frozenset[str]]:
        if inspection not in self.known:
            self.known[inspection] = self.lookup(inspection)
        return self.known[inspection]

    def problem(self, event: Event, role: str) -> tuple[str, str] | None:
        if event.kind not in TEAM_KINDS and event.kind != "inspection.team_set":
            return None
        inspection = event.body.get("inspection")
        if not isinstance(inspection, str):
            return None
        creator, team = self._get(inspection)
        return team_verdict(event, role, creator, team)

    def learn(self, event: Event) -> None:
        """Follow ``event`` (one that passed the checks and will be written)."""
        if event.kind == "inspection.opened" and isinstance(event.body.get("id"), str):
            inspection = event.body["id"]
            _creator, team = self._get(inspection)
            self.known[inspection] = (event.author, team)
        elif event.kind == "inspection.team_set" and isinstance(event.body.get("inspection"), str):
            inspection = event.body["inspection"]
            creator, _team = self._get(inspection)
            members = {str(m) for m in event.body.get("members") or () if isinstance(m, str)}
            if creator:
                members.add(creator)
            self.known[inspection] = (creator, frozenset(members))


def remediation_action(event: Event) -> str | None:
    """The lifecycle action a remediation event takes (None for other kinds)."""
    if event.kind == "remediation.planned":
        return "plan"
    if event.kind == "remediation.updated":
        return str(event.body.get("action", "note"))
    if event.kind == "remediation.retested":
        return "verify" if event.body.get("outcome") == "verified" else "reopen"
    return None


def declared_role(db: sqlite3.Connection, author: str) -> str | None:
    row = db.execute("SELECT role FROM key_identity WHERE key_id = ?", (author,)).fetchone()
    return None if row is None else str(row[0])


def trusted_role(db: sqlite3.Connection, author: str) -> str | None:
    """The role the store's owner signed for ``author`` (its latest ``key.trusted``), None if none."""
    # A key "trusting" itself (the owner signing a key.trusted for its own key) vouches for nothing.
    row = db.execute(
        "SELECT role FROM trusted_key WHERE key_id = ? AND trusted_by != key_id", (author,)
    ).fetchone()
    return None if row is None else str(row[0])


def role_of(db: sqlite3.Connection, author: str) -> str:
    """The role this store gives ``author`` (see the module doc); "" when it knows none."""
    return trusted_role(db, author) or declared_role(db, author) or ""


def allowed(role: str, event: Event) -> bool:
    """Whether someone of ``role`` may write ``event`` (the table, without the store's state)."""
    action = remediation_action(event)
    if action is not None:
        return may(role, action)  # type: ignore[arg-type]
    roles = AUTHORITY.get(event.kind)
    return roles is None or role in roles


ROLE_KINDS = frozenset({"key.identity", "key.trusted", "store.created"})
"""Kinds whose projection can change a role: a cache of roles is dropped when one is applied."""


def authority_problem(
    db: sqlite3.Connection, event: Event, roles: dict[str, str] | None = None
) -> tuple[str, str] | None:
    """``(code, role)`` when ``event`` breaks the table in the state ``db`` holds before it, else None.

    ``role_change``: a key declaring another role than its first; ``role``: a role that may not write it.
    ``roles`` caches ``role_of`` for a caller applying many events (cleared on ``ROLE_KINDS``)."""
    if event.kind in ROLE_KINDS:
        if roles is not None:
            roles.clear()
        if event.kind == "key.identity" and event.body.get("key") == event.author:
            first = declared_role(db, event.author)
            new = event.body.get("role")
            if first is not None and first != new and trusted_role(db, event.author) != new:
                return "role_change", first
        return None
    if event.kind not in AUTHORITY and not event.kind.startswith("remediation."):
        return None  # any trusted key may write it: no role to look up
    if roles is None:
        role = role_of(db, event.author)
    else:
        role = roles.get(event.author) or roles.setdefault(event.author, role_of(db, event.author))
    if not allowed(role, event):
        return "role", role
    if event.kind in TEAM_KINDS or event.kind == "inspection.team_set":
        return team_problem(db, event, role)
    return None


__all__ = [
    "AUTHORITY",
    "TEAM_KINDS",
    "TeamLedger",
    "allowed",
    "authority_problem",
    "remediation_action",
    "role_of",
    "team_verdict",
]
