"""One frozen settings object: defaults in code, then `OKG_*` variables, then CLI flags (SPEC §5).

No other module reads the environment, so every knob is listed, typed and documented here. Paths
are made absolute against the working directory when the settings are made: a relative `dist`
handed to Flask's `send_file` would be read against the package instead (issue 8).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ombudsman_kg.errors import SettingsError
from ombudsman_kg.rdf.namespaces import BASE

ENV_PREFIX = "OKG_"


@dataclass(frozen=True)
class Settings:
    """Every setting of the build and the server; the README documents each field."""

    data: Path = Path("data")
    ontology: Path = Path("ontology")
    shapes: Path = Path("shapes")
    queries: Path = Path("queries")
    dist: Path = Path("dist")
    releases: Path = Path("releases")
    host: str = "127.0.0.1"
    port: int = 8000
    store: str = "embedded"
    query_timeout_s: float = 10.0
    query_memory_mb: int = 512
    max_body_bytes: int = 1 << 20
    workers: int = 2
    threads: int = 8
    query_workers: int = 1
    max_query_workers: int = 4
    memory_max_quads: int = 500_000
    reasoner: str = "auto"
    validator: str = "auto"

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, Path) and not value.is_absolute():
                object.__setattr__(self, field.name, Path.cwd() / value)

    @classmethod
    def load(
        cls, overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
    ) -> Settings:
        """Defaults, then `OKG_<NAME>` from `environ`, then non-None `overrides` (CLI flags).

        :raises SettingsError: when a value does not convert to the field's type.
        """
        environ = os.environ if environ is None else environ
        _refuse_another_base(environ.get(ENV_PREFIX + "BASE_IRI"))
        values: dict[str, Any] = {}
        for field in dataclasses.fields(cls):
            raw = environ.get(ENV_PREFIX + field.name.upper())
            if raw is not None and raw != "":
                values[field.name] = _convert(field.name, field.type, raw)
        for name, value in (overrides or {}).items():
            if value is not None:
                values[name] = _convert(name, _field_type(cls, name), value)
        settings = cls(**values)
        settings.check()
        return settings

    def check(self) -> None:
        """:raises SettingsError: for a value no component could work with."""
        if self.store != "embedded" and not self.store.startswith("sparql:"):
            raise SettingsError(f"store must be 'embedded' or 'sparql:URL', not {self.store!r}")
        if self.query_timeout_s <= 0:
            raise SettingsError("query_timeout_s must be positive")
        if not 0 < self.port < 65536:
            raise SettingsError(f"port out of range: {self.port}")
        for name in (
            "workers",
            "threads",
            "query_workers",
            "max_query_workers",
            "max_body_bytes",
            "query_memory_mb",
        ):
            if getattr(self, name) < 1:
                raise SettingsError(f"{name} must be at least 1")
        if self.memory_max_quads < 0:
            raise SettingsError("memory_max_quads must be 0 or more")
        if self.reasoner not in ("auto", "owlrl", "reasonable"):
            raise SettingsError("reasoner must be auto, owlrl or reasonable")
        if self.validator not in ("auto", "pyshacl", "sparql"):
            raise SettingsError("validator must be auto, pyshacl or sparql")


def _refuse_another_base(value: str | None) -> None:
    """SPEC §1: the base is fixed, since it is in the data's own IRIs; a server told another one
    would answer 404 for every page, so `OKG_BASE_IRI` is refused unless it names this one.

    :raises SettingsError: for any other value.
    """
    if value and value != BASE:
        raise SettingsError(
            f"OKG_BASE_IRI={value!r} is not accepted: the base IRI is fixed at {BASE} (it is in"
            " the data's own IRIs; a server answers path /X for IRI base+X at any origin)."
            " Unset OKG_BASE_IRI."
        )


def _field_type(cls: type[Settings], name: str) -> str:
    for field in dataclasses.fields(cls):
        if field.name == name:
            return str(field.type)
    raise SettingsError(f"unknown setting {name!r}")


def _convert(name: str, kind: Any, raw: Any) -> Any:
    kind = str(kind)
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "Path":
            return Path(raw)
        return str(raw)
    except ValueError:
        raise SettingsError(f"setting {name}: {raw!r} is not a valid {kind}") from None
