"""Reading a witness: the hash of a checkpoint someone else saw, given as text or in a file.

A file may be a bundle (its manifest names the checkpoint the exporting store wrote for it), a report or any
text holding the hash (the first 64-hex-digit word), or a file holding just the hash.
"""

from __future__ import annotations

import json
import re
import tarfile
from pathlib import Path

from gradesec.errors import UsageError
from gradesec.i18n import t

_HASH = re.compile(r"(?<![0-9a-f])([0-9a-f]{64})(?![0-9a-f])")
MAX_TEXT = 16 << 20


def _from_bundle(path: Path) -> str | None:
    try:
        with tarfile.open(path, mode="r:*") as tar:
            first = tar.next()
            if first is None or first.name != "gradesec-bundle.json" or first.size > MAX_TEXT:
                return None
            src = tar.extractfile(first)
            data = json.loads(src.read()) if src is not None else None
    except (tarfile.TarError, OSError, ValueError, EOFError):
        return None
    ref = data.get("checkpoint") if isinstance(data, dict) else None
    value = ref.get("hash") if isinstance(ref, dict) else None
    return value if isinstance(value, str) and _HASH.fullmatch(value) else None


def read_witness(value: str) -> str:
    """The checkpoint hash ``value`` names (a hash, or a file holding one); a clear error otherwise."""
    # As printed: a hash a PDF viewer copied may carry line breaks or spaces inside.
    text = "".join(value.split()).lower()
    if _HASH.fullmatch(text):
        return text
    path = Path(value).expanduser()
    if not path.is_file():
        raise UsageError(t("verify.witness.bad", value=value), t("verify.witness.bad.hint"))
    found = _from_bundle(path)
    if found is not None:
        return found
    try:
        with open(path, "rb") as fh:
            content = fh.read(MAX_TEXT).decode("utf-8", errors="replace").lower()
    except OSError as exc:
        raise UsageError(
            t("verify.witness.unreadable", path=str(path), detail=exc.strerror or str(exc)),
            t("verify.witness.bad.hint"),
        ) from None
    match = _HASH.search(content)
    if match is None:
        raise UsageError(t("verify.witness.none_in_file", path=str(path)), t("verify.witness.bad.hint"))
    return match.group(1)
