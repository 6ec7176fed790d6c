"""The user's configuration file (``config.yaml`` in the config dir), read strictly and only on demand."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from gradesec import paths
from gradesec.errors import GradesecError
from gradesec.i18n import t


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    catalog_dirs: list[Path] = Field(default_factory=list)
    lang: str | None = None
    font: Path | None = None
    organisation: str | None = None


def config_path() -> Path:
    return paths.config_dir() / "config.yaml"


def load_config() -> Config:
    path = config_path()
    if not path.is_file():
        return Config()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return Config.model_validate(data)
    except (yaml.YAMLError, UnicodeDecodeError, ValidationError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise GradesecError(t("config.invalid", path=path, detail=first), t("config.invalid.hint")) from exc
