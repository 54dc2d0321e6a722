"""Read the hand-written data files and remember where each statement was written.

Data files are TriG: a `GRAPH source:{slug} { ... }` block holds what that source states, and
what stands outside any block is the publisher's (SPEC §7, docs/authoring.md). Turtle files
(the ontology) are TriG without blocks.

A SHACL violation must name the data file and line that hold it (SPEC §5), but no RDF parser
reports positions of triples, so each file is also kept as text and searched for the subject's
block and the predicate inside it. That works because data files follow the house style: one
subject per statement, the subject starting a line, a graph block opening and closing on lines
of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph
import rdflib
from rdflib.term import Identifier

from ombudsman_kg.errors import DataError
from ombudsman_kg.rdf.namespaces import RDF_TYPE, XSD

XSD_STRING = XSD + "string"
PATTERNS = ("*.trig", "*.ttl")

_PREFIX_LINE = re.compile(r"^\s*@prefix\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>\s*\.", re.MULTILINE)
_SPARQL_PREFIX_LINE = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.MULTILINE)
_BLOCK_OPEN = re.compile(r"^\s*(?:GRAPH\s+)?(<[^>]*>|[A-Za-z][\w.-]*:[\w.-]*)\s*\{\s*(?:#.*)?$")
_BLOCK_CLOSE = re.compile(r"^\s*\}\s*(?:#.*)?$")


@dataclass(frozen=True)
class Location:
    """A place in a data file, 1-based line."""

    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass
class TurtleFile:
    """One parsed file: its quads and enough of its text to find them again.

    A quad's graph is the source graph of its block, or the default graph (the publisher's).
    """

    path: Path
    text: str
    quads: list[pyoxigraph.Quad]
    prefixes: dict[str, str] = field(default_factory=dict)

    @cached_property
    def triples(self) -> list[pyoxigraph.Triple]:
        return [q.triple for q in self.quads]

    @cached_property
    def _lines(self) -> list[str]:
        return self.text.splitlines()

    @cached_property
    def _blocks(self) -> list[str | None]:
        """The graph of each line: the block's graph IRI, or None outside blocks."""
        graph: str | None = None
        graphs: list[str | None] = []
        for line in self.text.splitlines():
            opened = _BLOCK_OPEN.match(line)
            if opened:
                graph = self._expand(opened.group(1))
            graphs.append(graph)
            if _BLOCK_CLOSE.match(line):
                graph = None
        return graphs

    def locate(
        self, subject: str, predicate: str | None = None, graph: str | None = None
    ) -> int | None:
        """The line of `predicate` in a statement about `subject`, or of the statement's first
        line; in the block of `graph` when given (None: any block, the default graph first)."""
        lines = self._lines
        forms = self._forms(subject)
        predicate_forms = self._forms(predicate) if predicate else []
        if predicate == RDF_TYPE:
            predicate_forms.append("a")
        first: int | None = None
        for start in self._statement_starts(forms, graph):
            if first is None:
                first = start + 1
            if not predicate_forms:
                return start + 1
            for i in range(start, len(lines)):
                tokens = lines[i].split()
                if i == start:
                    tokens = tokens[1:]
                if tokens and tokens[0] in predicate_forms:
                    return i + 1
                if _ends_statement(lines[i]):
                    break
        return first

    def _statement_starts(self, forms: list[str], graph: str | None) -> list[int]:
        starts = [i for form in forms for i in self._starts.get(form, ())]
        if graph is not None:
            starts = [i for i in starts if self._blocks[i] == graph]
        starts.sort()
        if graph is None:
            starts.sort(key=lambda i: self._blocks[i] is not None)
        return starts

    @cached_property
    def _starts(self) -> dict[str, list[int]]:
        """The lines where a statement starts, by its first token (the subject), found once."""
        starts: dict[str, list[int]] = {}
        continuing = False
        for i, line in enumerate(self.text.splitlines()):
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            if _BLOCK_OPEN.match(line) or _BLOCK_CLOSE.match(line):
                continuing = False
                continue
            if not continuing:
                starts.setdefault(stripped.split()[0], []).append(i)
            continuing = not _ends_statement(line)
        return starts

    @cached_property
    def by_subject(self) -> dict[str, list[pyoxigraph.Quad]]:
        """The file's quads by subject IRI, so that locating stays linear in the report."""
        index: dict[str, list[pyoxigraph.Quad]] = {}
        for quad in self.quads:
            if not isinstance(quad.subject, pyoxigraph.Triple):
                index.setdefault(quad.subject.value, []).append(quad)
        return index

    def _expand(self, name: str) -> str:
        if name.startswith("<"):
            return name[1:-1]
        prefix, _, local = name.partition(":")
        return self.prefixes.get(prefix, prefix + ":") + local

    def _forms(self, iri: str) -> list[str]:
        forms = [f"<{iri}>"]
        for prefix, namespace in self.prefixes.items():
            if iri.startswith(namespace) and namespace:
                forms.append(f"{prefix}:{iri[len(namespace) :]}")
        return forms


def _ends_statement(line: str) -> bool:
    code = line.split(" #", 1)[0].rstrip() if '"' not in line else line.rstrip()
    return code.endswith(" .") or code.strip() == "." or code.endswith("\t.")


@dataclass
class DataSet:
    """Every file of a directory, in name order, so builds are reproducible."""

    files: list[TurtleFile]

    def triples(self) -> Iterator[pyoxigraph.Triple]:
        """Every statement of every file, whichever graph holds it (with repeats)."""
        for turtle_file in self.files:
            yield from turtle_file.triples

    def quads(self) -> Iterator[pyoxigraph.Quad]:
        for turtle_file in self.files:
            yield from turtle_file.quads

    def __len__(self) -> int:
        return sum(len(f.quads) for f in self.files)

    def locate(
        self, subject: str, predicate: str | None = None, graph: str | None = None
    ) -> Location | None:
        """Where the statement about `subject` with `predicate` was written, if anywhere; in
        the block of `graph` when given (a source graph's IRI)."""
        fallback = None
        for turtle_file in self.files:
            held = [
                q
                for q in turtle_file.by_subject.get(subject, ())
                if graph is None or getattr(q.graph_name, "value", None) == graph
            ]
            if not held:
                continue
            has_predicate = predicate is not None and any(
                q.predicate.value == predicate for q in held
            )
            line = turtle_file.locate(subject, predicate if has_predicate else None, graph)
            if line is None:
                continue
            if has_predicate or predicate is None:
                return Location(turtle_file.path, line)
            fallback = fallback or Location(turtle_file.path, line)
        return fallback


def read_directory(directory: Path) -> DataSet:
    """Parse every `*.trig` and `*.ttl` under `directory` (recursively) with pyoxigraph, a
    strict parser.

    :raises DataError: when the directory is missing or holds no data file, or a file does not
        parse; the message names the file and the parser's line and column.
    """
    if not directory.is_dir():
        raise DataError(f"no such data directory: {directory}")
    paths = sorted({path for pattern in PATTERNS for path in directory.rglob(pattern)})
    if not paths:
        raise DataError(f"no data files (*.trig, *.ttl) in {directory}")
    return DataSet([read_file(path) for path in paths])


def read_file(path: Path) -> TurtleFile:
    """:raises DataError: for unreadable files and syntax errors (with the parser's position)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DataError(f"{path}: cannot read: {error}") from None
    syntax = "TriG" if path.suffix == ".trig" else "Turtle"
    rdf_format = pyoxigraph.RdfFormat.TRIG if syntax == "TriG" else pyoxigraph.RdfFormat.TURTLE
    try:
        quads = list(pyoxigraph.parse(input=text.encode("utf-8"), format=rdf_format))
    except SyntaxError as error:
        raise DataError(f"{path}: {syntax} syntax error: {error}") from None
    prefixes = {m.group(1) or "": m.group(2) for m in _PREFIX_LINE.finditer(text)}
    prefixes.update({m.group(1) or "": m.group(2) for m in _SPARQL_PREFIX_LINE.finditer(text)})
    return TurtleFile(path, text, quads, prefixes)


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
