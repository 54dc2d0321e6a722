"""The server's own SPARQL queries, one `.rq` file each, loaded by name (no SPARQL in views)."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def load(name: str) -> str:
    """The text of `<name>.rq` shipped in this package.

    :raises FileNotFoundError: for an unknown name.
    """
    return resources.files(__name__).joinpath(f"{name}.rq").read_text(encoding="utf-8")
