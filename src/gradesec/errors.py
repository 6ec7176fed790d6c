"""One error base for everything a person may see.

Every error that reaches a user carries a message (one sentence: what went wrong) and a hint (what to do
about it), both already in the user's language. The CLI prints them and exits with ``exit_code``; the TUI shows
them in a notification. Anything that is not a ``GradesecError`` is a bug.
"""

from __future__ import annotations


class GradesecError(Exception):
    """A failure the user can understand and act on."""

    exit_code: int = 1

    def __init__(self, message: str, hint: str | None = None, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        if exit_code is not None:
            self.exit_code = exit_code

    def diagnostics(self) -> str:
        """The message and hint as shown to a person."""
        if self.hint:
            return f"{self.message}\n{self.hint}"
        return self.message


class UsageError(GradesecError):
    """The command was called the wrong way (exit code 2)."""

    exit_code = 2


class CatalogError(GradesecError):
    """A checklist, profile, policy, scenario or template file is invalid."""

    def __init__(self, message: str, hint: str | None = None, problems: list[str] | None = None) -> None:
        super().__init__(message, hint)
        self.problems: list[str] = problems or []


class NotFoundError(GradesecError):
    """Something named by id does not exist."""


class IntegrityError(GradesecError):
    """Stored data failed verification: a signature, hash, chain or checkpoint does not hold."""


class KeyError_(GradesecError):
    """A key is missing, unreadable, or the passphrase is wrong."""


class StorageError(GradesecError):
    """The store cannot be read or written (locked, full disk, wrong schema)."""
