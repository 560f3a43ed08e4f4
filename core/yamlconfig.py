"""Loading a YAML file into a pydantic model, with errors a person can act on:
the file, the entry (by its id) and the field."""
from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError


class ConfigError(ValueError):
    """A configuration file is malformed; the message names file, entry and field."""


def _where(loc: list, data, entry_word: str) -> str:
    if len(loc) >= 2 and isinstance(loc[1], int):
        try:
            entry = data[loc[0]][loc[1]].get("id", f"#{loc[1]}")
        except Exception:
            entry = f"#{loc[1]}"
        return f"{entry_word} {entry!r} field {'.'.join(map(str, loc[2:])) or '(entry)'}"
    return ".".join(map(str, loc)) or "(file)"


def load_model(model, path: Path | str, entry_word: str = "entry"):
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        msgs = [f"{_where(list(e['loc']), data, entry_word)}: {e['msg']}" for e in exc.errors()]
        raise ConfigError(f"{path}: " + "; ".join(msgs)) from None
