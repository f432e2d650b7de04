"""Settings: defaults < ``$BTKIT_HOME/config.toml`` < ``BTKIT_*`` env < flags.

Reading never writes. ``BTKIT_HOME`` (default ``~/.btkit``) relocates everything
btkit owns; when it is set, the default wallet path moves to ``$BTKIT_HOME/wallets``
too, so tests and demos never touch ``~/.bittensor``.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from btkit.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def home(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return Path(env.get("BTKIT_HOME") or "~/.btkit").expanduser()


def config_path(env: Mapping[str, str] | None = None) -> Path:
    return home(env) / "config.toml"


def _defaults(env: Mapping[str, str]) -> dict[str, str]:
    base = home(env)
    wallets = base / "wallets" if env.get("BTKIT_HOME") else Path("~/.bittensor/wallets").expanduser()
    return {
        "wallet.path": str(wallets),
        "wallet.name": "default",
        "wallet.hotkey": "default",
        "network": "local",
        "localnet.data_dir": str(base / "localnet"),
    }


KEYS = tuple(_defaults({}).keys())
DESCRIPTIONS = {
    "wallet.path": "directory that holds wallets",
    "wallet.name": "wallet used when --wallet-name is not given",
    "wallet.hotkey": "hotkey used when --hotkey is not given",
    "network": "local, finney, test, archive, or a node URL (ws(s)://, http(s)://)",
    "localnet.data_dir": "data directory of the default local node",
}


def env_name(key: str) -> str:
    return "BTKIT_" + key.upper().replace(".", "_")


@dataclass(frozen=True)
class Config:
    values: dict[str, str]
    sources: dict[str, str]
    path: Path

    def __getitem__(self, key: str) -> str:
        return self.values[key]

    def path_value(self, key: str) -> Path:
        return Path(self.values[key]).expanduser()


def _flatten(doc: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for k, v in doc.items():
        name = f"{prefix}{k}"
        if isinstance(v, Mapping):
            flat.update(_flatten(v, name + "."))
        else:
            flat[name] = v
    return flat


def read_file(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return _flatten(tomllib.load(fh))
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}", hint=f"fix or delete {path}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None


def load(env: Mapping[str, str] | None = None) -> Config:
    env = os.environ if env is None else env
    path = config_path(env)
    values = _defaults(env)
    sources = dict.fromkeys(values, "default")
    for key, value in read_file(path).items():
        if key in values:
            values[key], sources[key] = str(value), str(path)
    for key in values:
        if env.get(env_name(key)):
            values[key], sources[key] = env[env_name(key)], f"env {env_name(key)}"
    return Config(values, sources, path)


def set_value(key: str, value: str, env: Mapping[str, str] | None = None) -> Path:
    """Write one key into the config file (atomically); returns the file path."""
    return set_values({key: value}, env)


def set_values(values: Mapping[str, str], env: Mapping[str, str] | None = None) -> Path:
    """Write keys into the config file in one atomic write, all checked first (``ConfigError``:
    nothing is written); returns the file path."""
    from keystore.fs import atomic_write

    for key, value in values.items():
        if key not in KEYS:
            raise ConfigError(f"unknown config key {key!r}", hint=f"known keys: {', '.join(KEYS)}")
        validate(key, value)
    path = config_path(env)
    current = read_file(path)
    current.update(values)
    atomic_write(path, _dump_toml(current).encode(), mode=0o644)
    return path


def validate(key: str, value: str) -> None:
    """Refuse a value now rather than at the next command: ``network`` as ``--network`` takes it
    (``btkit.chain.network.resolve``), wallet and hotkey names as the keystore takes them, paths that
    are not files. Raises ``ConfigError``."""
    from btkit.errors import BtkitError

    try:
        if key == "network":
            from btkit.chain.network import resolve

            resolve(value, cfg=Config(dict(_defaults({}), network=value), {}, Path()))
        elif key in ("wallet.name", "wallet.hotkey"):
            from keystore.errors import InvalidInputError
            from keystore.wallet import check_name

            try:
                check_name(value, key.replace(".", " "))
            except InvalidInputError as exc:
                raise ConfigError(str(exc)) from None
        elif key in ("wallet.path", "localnet.data_dir"):
            if not value.strip() or Path(value).expanduser().is_file():
                raise ConfigError(f"{key} must be a directory, not {value!r}")
    except BtkitError as exc:
        raise ConfigError(f"cannot set {key} to {value!r}: {exc.message}", hint=exc.hint) from None


def _dump_toml(flat: Mapping[str, Any]) -> str:
    sections: dict[str, dict[str, Any]] = {}
    for key, value in sorted(flat.items()):
        section, _, leaf = key.rpartition(".")
        sections.setdefault(section, {})[leaf] = value
    lines: list[str] = []
    for section in sorted(sections):
        if section:
            lines.append(f"\n[{section}]")
        for leaf, value in sections[section].items():
            rendered = json.dumps(value) if not isinstance(value, bool) else str(value).lower()
            lines.append(f"{leaf} = {rendered}")
    return "\n".join(lines).lstrip("\n") + "\n"
