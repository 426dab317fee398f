"""Typed readers for configuration from the environment.

Every setting may also come from a file: when ``NAME_FILE`` is set, its content
(stripped of surrounding whitespace) is the value of ``NAME``. This is how
container secrets and systemd credentials are usually handed over.
"""

from __future__ import annotations

import os
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(ValueError):
    """A configuration value could not be understood."""


def raw(name: str) -> str | None:
    """Return the value of ``name`` from the environment or from ``NAME_FILE``."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"{name}_FILE points to {file_name!r}, which cannot be read: {exc}") from exc
    return os.environ.get(name)


def string(name: str, default: str = "") -> str:
    value = raw(name)
    return default if value is None else value


def boolean(name: str, default: bool = False) -> bool:
    value = raw(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigError(f"{name} must be one of true/false/1/0/yes/no, not {value!r}")


def integer(name: str, default: int) -> int:
    value = raw(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from exc


def strings(name: str, default: list[str] | None = None) -> list[str]:
    """A comma-separated list; blanks are dropped."""
    value = raw(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def secret(name: str, path: Path, generate) -> str:
    """Return ``name`` from the environment, else from ``path``, else generate it there.

    Generated secrets are written with owner-only permissions, so a first run on a
    fresh machine works without configuration and later runs keep the same value.
    """
    value = raw(name)
    if value:
        return value
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = generate()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    return value
