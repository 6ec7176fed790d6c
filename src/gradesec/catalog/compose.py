"""Profile ids that compose a general profile with extension sets (``mlps-l3+cloud``, ``mlps-l3+cloud-customer``).

The catalog resolves such ids (``Catalog.profile``); this module only builds them from command-line choices.
"""

from __future__ import annotations

from gradesec.catalog.models import CLOUD_SIDES, EXTENSIONS
from gradesec.errors import UsageError
from gradesec.i18n import t


def _known() -> str:
    return ", ".join([*EXTENSIONS, *(f"cloud-{side}" for side in CLOUD_SIDES)])


def compose_profile_id(profile: str, extensions: str | None, cloud_side: str | None = None) -> str:
    """``profile`` plus the comma-separated ``extensions``; ``cloud_side`` narrows the cloud set to one side."""
    tokens = [e.strip().lower() for e in (extensions or "").split(",") if e.strip()]
    side = (cloud_side or "").strip().lower()
    if side and side not in CLOUD_SIDES:
        raise UsageError(
            t("catalog.ext.bad", token=f"cloud-{side}", id=profile), t("catalog.ext.bad.hint", known=_known())
        )
    if side:
        if "cloud" not in tokens:
            raise UsageError(t("catalog.ext.cloud_side_alone"), t("catalog.ext.cloud_side_alone.hint"))
        tokens = [f"cloud-{side}" if tok == "cloud" else tok for tok in tokens]
    for tok in tokens:
        ext, _, part = tok.partition("-")
        if ext not in EXTENSIONS or (part and (ext != "cloud" or part not in CLOUD_SIDES)):
            raise UsageError(
                t("catalog.ext.bad", token=tok, id=profile), t("catalog.ext.bad.hint", known=_known())
            )
    return "+".join([profile, *tokens])
