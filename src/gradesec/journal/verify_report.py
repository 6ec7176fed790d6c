"""What ``verify`` found: the problems (each naming an event, a checkpoint, a state row or a blob) and what
it could prove (events, chains, checkpoints, blobs read; the owner's latest checkpoint a witness can vouch for)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from gradesec.i18n import t
from gradesec.journal.keys import format_key_id


@dataclass(frozen=True)
class Problem:
    """One thing wrong, naming the event (author, seq), the checkpoint, the state row or the blob."""

    code: str
    message: str
    author: str | None = None
    seq: int | None = None
    blob: str | None = None

    def where(self) -> str:
        if self.blob is not None:
            return t("verify.where.blob", blob=self.blob)
        if self.author is not None and self.seq is not None:
            return t("verify.where.event", author=format_key_id(self.author), seq=self.seq)
        if self.author is not None:
            return t("verify.where.author", author=format_key_id(self.author))
        return t("verify.where.store")

    def line(self) -> str:
        return f"{self.where()}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "author": self.author,
            "seq": self.seq,
            "blob": self.blob,
            "message": self.message,
        }


@dataclass
class VerifyReport:
    problems: list[Problem] = field(default_factory=list)
    events: int = 0
    authors: int = 0
    checkpoints: int = 0
    blobs: int = 0
    state_checked: bool = False
    partial: bool = False  # incremental: only what follows the latest trusted checkpoint was read
    # The owner's latest checkpoint event (author, seq, hash, at) and how many owner events follow it: what a
    # witness from someone else can vouch for; without one, a rollback or a lost tail cannot be excluded.
    latest_checkpoint: dict[str, Any] | None = None
    after_checkpoint: int = 0
    witness: str | None = None  # the checkpoint hash a witness named (found and consistent when ok)

    @property
    def ok(self) -> bool:
        return not self.problems

    def codes(self) -> set[str]:
        return {p.code for p in self.problems}

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "events": self.events,
            "authors": self.authors,
            "checkpoints": self.checkpoints,
            "blobs": self.blobs,
            "state_checked": self.state_checked,
            "partial": self.partial,
            "latest_checkpoint": self.latest_checkpoint,
            "after_checkpoint": self.after_checkpoint,
            "witness": self.witness,
            "problems": [p.as_dict() for p in self.problems],
        }


def report_json(report: VerifyReport) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2)


__all__ = ["Problem", "VerifyReport", "report_json"]
