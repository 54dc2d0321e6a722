"""Where the published graph lives: an embedded Oxigraph store or any SPARQL 1.1 endpoint."""

from __future__ import annotations

from ombudsman_kg.settings import Settings
from ombudsman_kg.store.base import Store


def open_store(settings: Settings) -> Store:
    """The store `settings.store` names: `embedded` (dist/store) or `sparql:URL`."""
    if settings.store.startswith("sparql:"):
        from ombudsman_kg.store.remote import RemoteStore

        return RemoteStore(settings.store.removeprefix("sparql:"), settings)
    from ombudsman_kg.store.embedded import EmbeddedStore

    return EmbeddedStore(settings)
