"""What the server knows besides the store: the files `build` wrote, read once at start-up.

Reading them per request would repeat work the build already did; holding them is cheap (the
VoID description, the ontology, the shapes text and the saved queries are small).
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pyoxigraph
from flask import current_app

from ombudsman_kg.build import outputs as build_files
from ombudsman_kg.errors import NotBuilt
from ombudsman_kg.rdf.namespaces import RDFS_LABEL
from ombudsman_kg.rdf.terms import term_value
from ombudsman_kg.settings import Settings
from ombudsman_kg.store.base import Store


@dataclass(frozen=True)
class SavedQuery:
    """A query of `queries/`, with the question its first comment asks (`# Question:`), and the
    same question in Azerbaijani (`# Sual:`) where the file gives it."""

    name: str
    question: str
    text: str
    questions: dict[str, str] = field(default_factory=dict)

    def asks(self, language: str) -> str:
        """The question in `language`, else in English."""
        return self.questions.get(language, self.question)


@dataclass
class Site:
    """Settings, store and the build's outputs, shared by every view of one app."""

    settings: Settings
    store: Store
    info: dict[str, Any]
    void: list[pyoxigraph.Triple]
    ontology: list[pyoxigraph.Triple]
    shapes_text: str
    shapes: list[pyoxigraph.Triple]
    queries: list[SavedQuery]
    _cache: dict[str, Any] = field(default_factory=dict)
    _lock: threading.RLock = field(default_factory=threading.RLock)

    @classmethod
    def load(cls, settings: Settings, store: Store) -> Site:
        """:raises NotBuilt: when `dist` lacks what `build` writes."""
        dist = Path(settings.dist)
        info_path = dist / build_files.BUILD_INFO
        if not info_path.is_file():
            raise NotBuilt(
                f"{dist} is not a built dist/ (no {build_files.BUILD_INFO}): "
                "run `ombudsman-kg build`"
            )
        info = json.loads(info_path.read_text(encoding="utf-8"))
        return cls(
            settings=settings,
            store=store,
            info=info,
            void=_triples(dist / build_files.VOID_FILE),
            ontology=_triples(dist / build_files.ONTOLOGY_FILE),
            shapes_text=(dist / build_files.SHAPES_FILE).read_text(encoding="utf-8"),
            shapes=_triples(dist / build_files.SHAPES_FILE.replace(".ttl", ".nt")),
            queries=_saved_queries(dist / "queries"),
        )

    @property
    def dist(self) -> Path:
        return Path(self.settings.dist)

    @property
    def version(self) -> str:
        return str(self.info["version"])

    def cached(self, key: str, compute: Any) -> Any:
        """`compute()` once per process, for answers that only change with a new build."""
        if key not in self._cache:
            with self._lock:
                if key not in self._cache:
                    self._cache[key] = compute()
        return self._cache[key]

    def ontology_labels(self) -> dict[str, dict[str, str]]:
        """IRI → {language: label} for every term the ontology labels."""

        def compute() -> dict[str, dict[str, str]]:
            labels: dict[str, dict[str, str]] = {}
            for triple in self.ontology:
                if triple.predicate.value == RDFS_LABEL and isinstance(
                    triple.object, pyoxigraph.Literal
                ):
                    labels.setdefault(term_value(triple.subject), {})[
                        triple.object.language or ""
                    ] = triple.object.value
            return labels

        result: dict[str, dict[str, str]] = self.cached("ontology_labels", compute)
        return result


def _triples(path: Path) -> list[pyoxigraph.Triple]:
    if not path.is_file():
        raise NotBuilt(f"missing {path}: run `ombudsman-kg build`")
    return [q.triple for q in pyoxigraph.parse(path=str(path))]


def _saved_queries(directory: Path) -> list[SavedQuery]:
    queries = []
    for path in sorted(directory.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        match = re.search(r"^#\s*(?:Question:)?\s*(.+)$", text, re.MULTILINE)
        question = match.group(1).strip() if match else path.stem
        in_azerbaijani = re.search(r"^#\s*Sual:\s*(.+)$", text, re.MULTILINE)
        questions = {"en": question}
        if in_azerbaijani:
            questions["az"] = in_azerbaijani.group(1).strip()
        queries.append(SavedQuery(path.stem, question, text, questions))
    return queries


def current_site() -> Site:
    """The app's build outputs and store: one per app (tests create several), read once at
    start-up, as Flask's tutorial gives each request its database (`get_db`)."""
    return cast(Site, current_app.extensions["okg"])
