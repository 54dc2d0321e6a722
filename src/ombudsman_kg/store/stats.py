"""`ombudsman-kg stats`: counts by graph, by class and by property, from whichever store serves."""

from __future__ import annotations

from ombudsman_kg.settings import Settings
from ombudsman_kg.store import open_store, queries

SECTIONS = {
    "triples by graph": "count-by-graph",
    "instances by class": "count-by-class",
    "triples by property": "count-by-property",
}


def count(settings: Settings) -> dict[str, list[tuple[str, int]]]:
    """Each section's (IRI, count) rows, largest first where order matters."""
    store = open_store(settings)
    try:
        return {
            section: [
                (row["key"].value, int(row["count"].value))
                for row in store.select(queries.load(name))
            ]
            for section, name in SECTIONS.items()
        }
    finally:
        store.close()
