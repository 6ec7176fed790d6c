"""App-wide messages: small dataclasses posted by workers and screens, handled by the app or a parent.

Messages that belong to one widget are nested in that widget's class (``ItemTree.ItemChosen``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class StoreChanged(Message):
    """Something was written; views showing lists refresh. ``what``: unit, system, asset, inspection, finding."""

    what: str
    id: str | None = None


@dataclass
class Failed(Message):
    """A worker failed with an error a person should see."""

    error: Any  # GradesecError or any exception (a bug)
