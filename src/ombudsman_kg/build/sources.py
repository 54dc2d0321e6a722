"""Read the hand-written Turtle files and remember where each statement was written.

A SHACL violation must name the data file and line that hold it (SPEC §5), but no RDF parser
reports positions of triples, so each file is also kept as text and searched for the subject's
block and the predicate inside it. That works because data files follow the house style: one
subject per block, the subject starting a line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
import rdflib
from rdflib.term import Identifier

from ombudsman_kg.errors import DataError
from ombudsman_kg.rdf.namespaces import RDF_TYPE, XSD
from ombudsman_kg.rdf.terms import term_value

XSD_STRING = XSD + "string"

_PREFIX_LINE = re.compile(r"^\s*@prefix\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>\s*\.", re.MULTILINE)
_SPARQL_PREFIX_LINE = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.MULTILINE)


@dataclass(frozen=True)
class Location:
    """A place in a data file, 1-based line."""

    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass
class TurtleFile:
    """One parsed file: its triples and enough of its text to find them again."""

    path: Path
    text: str
    triples: list[pyoxigraph.Triple]
    prefixes: dict[str, str] = field(default_factory=dict)

    def locate(self, subject: str, predicate: str | None = None) -> int | None:
        """The line of `predicate` in the block of `subject`, or of the block's first line."""
        lines = self.text.splitlines()
        forms = self._forms(subject)
        start = next(
            (i for i, line in enumerate(lines) if any(line.startswith(f) for f in forms)), None
        )
        if start is None:
            return None
        if predicate is None:
            return start + 1
        predicate_forms = self._forms(predicate)
        if predicate == RDF_TYPE:
            predicate_forms.append("a")
        for i in range(start, len(lines)):
            tokens = lines[i].split()
            if i == start:
                tokens = tokens[1:]
            if tokens and tokens[0] in predicate_forms:
                return i + 1
            if lines[i].rstrip().endswith(" .") or lines[i].strip() == ".":
                break
        return start + 1

    def _forms(self, iri: str) -> list[str]:
        forms = [f"<{iri}>"]
        for prefix, namespace in self.prefixes.items():
            if iri.startswith(namespace) and namespace:
                forms.append(f"{prefix}:{iri[len(namespace) :]}")
        return forms


@dataclass
class DataSet:
    """Every file of a directory, in name order, so builds are reproducible."""

    files: list[TurtleFile]

    def triples(self) -> Iterator[pyoxigraph.Triple]:
        for turtle_file in self.files:
            yield from turtle_file.triples

    def __len__(self) -> int:
        return sum(len(f.triples) for f in self.files)

    def locate(self, subject: str, predicate: str | None = None) -> Location | None:
        """Where the statement about `subject` with `predicate` was written, if anywhere."""
        fallback = None
        for turtle_file in self.files:
            if not any(term_value(t.subject) == subject for t in turtle_file.triples):
                continue
            has_predicate = predicate is not None and any(
                term_value(t.subject) == subject and t.predicate.value == predicate
                for t in turtle_file.triples
            )
            line = turtle_file.locate(subject, predicate if has_predicate else None)
            if line is None:
                continue
            if has_predicate or predicate is None:
                return Location(turtle_file.path, line)
            fallback = fallback or Location(turtle_file.path, line)
        return fallback


def read_directory(directory: Path) -> DataSet:
    """Parse every `*.ttl` under `directory` (recursively) with pyoxigraph, a strict parser.

    :raises DataError: when the directory is missing or holds no Turtle, or a file does not parse;
        the message names the file and the parser's line and column.
    """
    if not directory.is_dir():
        raise DataError(f"no such data directory: {directory}")
    paths = sorted(directory.rglob("*.ttl"))
    if not paths:
        raise DataError(f"no Turtle files (*.ttl) in {directory}")
    return DataSet([read_file(path) for path in paths])


def read_file(path: Path) -> TurtleFile:
    """:raises DataError: for unreadable files and syntax errors (with the parser's position)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DataError(f"{path}: cannot read: {error}") from None
    try:
        quads = list(
            pyoxigraph.parse(input=text.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE)
        )
    except SyntaxError as error:
        raise DataError(f"{path}: Turtle syntax error: {error}") from None
    prefixes = {m.group(1) or "": m.group(2) for m in _PREFIX_LINE.finditer(text)}
    prefixes.update({m.group(1) or "": m.group(2) for m in _SPARQL_PREFIX_LINE.finditer(text)})
    return TurtleFile(path, text, [q.triple for q in quads], prefixes)


def to_rdflib_graph(triples: Iterable[pyoxigraph.Triple]) -> rdflib.Graph:
    """The same triples as an rdflib graph, for pyshacl and owlrl, which need one."""
    graph = rdflib.Graph()
    for triple in triples:
        graph.add(
            (to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object))
        )
    return graph


def to_rdflib(term: object) -> Identifier:
    if isinstance(term, pyoxigraph.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise TypeError(f"not an RDF 1.1 term: {term!r}")


def to_oxigraph(
    term: Identifier,
) -> pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal:
    if isinstance(term, rdflib.URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return pyoxigraph.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype)))
        return pyoxigraph.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")
