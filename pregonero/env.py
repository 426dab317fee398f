"""Typed readers for configuration from the environment.

Every setting may also come from a file: when ``NAME_FILE`` is set, its content
(stripped of surrounding whitespace) is the value of ``NAME``. This is how
container secrets and systemd credentials are usually handed over.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(ValueError):
    """A configuration value could not be understood."""


def raw(name: str) -> str | None:
    """Return the value of ``name`` from ``NAME_FILE`` when set, else the environment, else None.

    ``NAME_FILE`` wins over ``NAME`` so that a secret handed over as a file is never
    shadowed by a stale variable.
    """
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"{name}_FILE points to {file_name!r}, which cannot be read: {exc}") from exc
    return os.environ.get(name)


def string(name: str, default: str = "") -> str:
    """The value as given, or ``default`` when unset."""
    value = raw(name)
    return default if value is None else value


def boolean(name: str, default: bool = False) -> bool:
    """true/1/yes/on or false/0/no/off (any case; empty is false); anything else is a ConfigError."""
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
    """A whole number, or ``default`` when unset or empty; anything else is a ConfigError."""
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


def secret(name: str, path: Path, generate: Callable[[], str]) -> str:
    """Return ``name`` from the environment, else from ``path``, else generate it there.

    Generated secrets are written with owner-only permissions, so a first run on a
    fresh machine works without configuration and later runs keep the same value.
    When several processes start at once on a fresh data directory (web server and
    worker under systemd), exactly one value is kept and all of them read it.
    """
    value = raw(name)
    if value:
        return value
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_once(path, generate())
    value = path.read_text(encoding="utf-8").strip()
    if not value:
        raise ConfigError(f"{path} is empty; delete it to have {name} generated again, or set {name}.")
    return value


def _write_once(path: Path, value: str) -> None:
    """Publish ``value`` at ``path`` unless another process already did.

    The value is written completely to a private temporary file first and then linked
    into place; ``link`` fails when ``path`` exists, so readers never see half a file.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(value + "\n")
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink(missing_ok=True)
