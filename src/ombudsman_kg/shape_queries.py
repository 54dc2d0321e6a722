"""SHACL validation compiled into SPARQL: our shapes, evaluated set-at-a-time by Oxigraph.

pyshacl evaluates every constraint per focus node and per value node in Python: 70-90 s for
10^4 triples here, hours for the 10^6 that issue 4 asks `build` to validate in minutes. This
module compiles each (shape, constraint) into one SPARQL SELECT that finds every violating focus
node at once, and runs it in Rust on a pyoxigraph store.

pyshacl stays the reference (tests/test_shape_queries.py compares both engines), so what it
does is mirrored where it goes beyond the letter of SHACL: the ontology is mixed into the data
graph with pyshacl's own `inoculate` (as its `ont_graph` does); literals are read as rdflib
reads them (normalized lexical forms; ill-typed ones fail sh:datatype); sh:pattern follows
Python's `re` (`$` also matches before a final newline, only the i and m flags); sh:languageIn
compares tags as pyshacl does; sh:node results carry the nested shape's results as sh:detail.
Focus sets are materialized once per set of targets in a named graph that the shapes' own
queries, which see only the default graph, never read. Anything not compiled raises
UnsupportedShape, so a new shape never silently passes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from itertools import count
from typing import Any

import pyoxigraph as ox
import rdflib
from pyshacl.rdfutil.inoculate import inoculate
from pyshacl.validator import USE_FULL_MIXIN
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import BNode, Literal, Node, URIRef

from ombudsman_kg.errors import UnsupportedShape
from ombudsman_kg.loading import to_oxigraph, to_rdflib

Term = ox.NamedNode | ox.BlankNode | ox.Literal
SETS_GRAPH = "urn:okg:shacl:sets"
MEMBER = "urn:okg:shacl:member"
ILL_TYPED = "urn:okg:shacl:ill-typed"
TYPE_OF = f"<{RDF.type}>/<{RDFS.subClassOf}>*"

NODE_KINDS: dict[Node, str] = {
    SH.IRI: "isIRI({v})", SH.Literal: "isLiteral({v})", SH.BlankNode: "isBlank({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}  # fmt: skip
# Constraints that test each value node alone, and the components pyshacl reports them with.
VALUE_TESTS: dict[Node, Node] = {
    SH["class"]: SH.ClassConstraintComponent, SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent, SH.pattern: SH.PatternConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent, SH["in"]: SH.InConstraintComponent,
    SH["not"]: SH.NotConstraintComponent, SH["or"]: SH.OrConstraintComponent,
    SH["and"]: SH.AndConstraintComponent, SH.xone: SH.XoneConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
}  # fmt: skip
# Constraints on how many value nodes a focus node has (sh:qualifiedValueShape too).
COUNTS: dict[Node, Node] = {
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.uniqueLang: SH.UniqueLangConstraintComponent,
}
NOT_CONSTRAINTS = {
    SH.path, SH.message, SH.severity, SH.name, SH.description, SH.deactivated, SH.order,
    SH.group, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target,
    SH.prefixes, SH.declare, SH.flags, SH.qualifiedMinCount, SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint, SH.defaultValue,
}  # fmt: skip
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
# pyshacl's DatatypeConstraintComponent._assert_actual_datatype: the Python value rdflib makes.
PYTHON_TYPES: dict[Node | None, type | tuple[type, ...]] = {
    XSD.string: (str, bytes), XSD.integer: int, XSD.float: float, XSD.decimal: Decimal,
    XSD.boolean: bool, XSD.date: date, XSD.time: time, XSD.dateTime: datetime,
}  # fmt: skip


@dataclass(frozen=True)
class Result:
    """One validation result, in the terms of pyshacl's report (rdflib terms)."""

    shape: Node
    component: Node
    focus: Node
    severity: Node
    messages: tuple[Literal, ...]
    path: Node | None = None
    value: Node | None = None
    constraint: Node | None = None
    details: tuple[Result, ...] = ()


def validate(
    data: Iterable[ox.Triple], ontology: rdflib.Graph, shapes: rdflib.Graph
) -> tuple[bool, rdflib.Graph]:
    """Conforms, and a minimal sh:ValidationReport with the results pyshacl gives (advanced).

    :raises UnsupportedShape: for a SHACL feature this module does not compile.
    """
    results = evaluate(load_store(data, ontology), shapes)
    graph = rdflib.Graph()
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(not results)))
    for result in results:
        graph.add((report, SH.result, _add_result(graph, result, shapes)))
    return not results, graph


def load_store(data: Iterable[ox.Triple], ontology: rdflib.Graph) -> ox.Store:
    """The data graph pyshacl validates: the data with the ontology mixed in, read by rdflib."""
    mixed = ontology if USE_FULL_MIXIN else inoculate(rdflib.Graph(), ontology)  # type: ignore[arg-type]
    store = ox.Store()
    store.extend(_quads(data))
    store.extend(_quads(ox.Triple(*map(to_oxigraph, triple)) for triple in mixed))  # type: ignore[arg-type]
    return store


def evaluate(store: ox.Store, shapes: rdflib.Graph) -> list[Result]:
    """Every result of every targeted shape on `store`'s default graph."""
    return _Evaluator(store, shapes).run()


class _Evaluator:
    def __init__(self, store: ox.Store, shapes: rdflib.Graph) -> None:
        self.store, self.shapes = store, shapes
        self.sets = count()
        self.defaults = {p: str(ns) for p, ns in rdflib.Graph().namespaces() if p}
        self.stack: list[Node] = []
        self.focus_sets: dict[frozenset[tuple[str, str]], str] = {}

    def run(self) -> list[Result]:
        features = (SH.rule, SH.parameter, SH.entailment, SH.js, SH.jsLibrary, SH.expression)
        if any((None, p, None) in self.shapes for p in features):
            raise UnsupportedShape(
                "SHACL-AF rules, functions, custom components or JS: use pyshacl"
            )
        roots = {s for p in TARGETS for s in self.shapes.subjects(p, None)}
        roots |= {s for s in self.shapes.subjects(RDF.type, None) if self._implicit_class(s)}
        results: list[Result] = []
        for shape in sorted(roots, key=str):
            if not self._deactivated(shape):
                results += self._results(shape, self._focus_set(shape))
        return results

    def _focus_set(self, shape: Node) -> str:
        """The focus nodes of `shape`'s targets, found once per distinct set of targets."""
        targets = {(str(p), str(o)) for p in TARGETS for o in self.shapes.objects(shape, p)}
        classes = [*self.shapes.objects(shape, SH.targetClass)]
        if self._implicit_class(shape):
            targets.add(("implicit", str(shape)))
            classes.append(shape)
        if frozenset(targets) in self.focus_sets:
            return self.focus_sets[frozenset(targets)]
        key = self.focus_sets[frozenset(targets)] = f"urn:okg:shacl:set:{next(self.sets)}"
        insert = f"INSERT {{ GRAPH <{SETS_GRAPH}> {{ <{key}> <{MEMBER}> ?this }} }} WHERE "
        if classes:
            values = " ".join(_term(c) for c in classes)
            self._run(insert + f"{{ VALUES ?c {{ {values} }} ?this {TYPE_OF} ?c }}", update=True)  # noqa: S608
        self._add_members(key, [to_oxigraph(n) for n in self.shapes.objects(shape, SH.targetNode)])  # type: ignore[arg-type]
        for p in self.shapes.objects(shape, SH.targetSubjectsOf):
            self._run(insert + f"{{ ?this {_term(p)} ?any }}", update=True)
        for p in self.shapes.objects(shape, SH.targetObjectsOf):
            self._run(insert + f"{{ ?any {_term(p)} ?this }}", update=True)
        for target in self.shapes.objects(shape, SH.target):
            select = self.shapes.value(target, SH.select)
            if (target, RDF.type, SH.SPARQLTarget) not in self.shapes or select is None:
                raise UnsupportedShape(f"{shape}: sh:target {target} is not a sh:SPARQLTarget")
            if re.search(r"^\s*(PREFIX|BASE)\b", str(select), re.I | re.M):
                raise UnsupportedShape(f"{target}: declare prefixes with sh:prefixes")
            self._run(self._prologue(target) + insert + f"{{ {{ {select} }} }}", update=True)
        return key

    def _results(self, shape: Node, key: str) -> list[Result]:
        """The results of `shape` for the focus nodes in set `key`."""
        if self._deactivated(shape):
            return []
        path = self.shapes.value(shape, SH.path)
        focus = f"GRAPH <{SETS_GRAPH}> {{ <{key}> <{MEMBER}> ?this }}"
        sparql_path = "" if path is None else _path(self.shapes, path)
        values = focus if path is None else f"{focus} ?this {sparql_path} ?value ."
        var = "?this" if path is None else "?value"
        make = _ResultMaker(shape, self.shapes, path)
        results: list[Result] = []
        for predicate, obj in _parameters(self.shapes, shape):
            if predicate in VALUE_TESTS:
                test = self._test(shape, predicate, obj, var)
                query = f"SELECT DISTINCT ?this ({var} AS ?v) {{ {values} FILTER(!{test}) }}"
                rows = [(row["this"], row["v"]) for row in self._run(query)]
                details = self._details(obj, [v for _, v in rows]) if predicate == SH.node else {}
                for this, v in rows:
                    detail = tuple(details.get(to_rdflib(v), ()))
                    results.append(make(VALUE_TESTS[predicate], this, value=v, details=detail))
            elif (predicate in COUNTS or predicate == SH.qualifiedValueShape) and path is not None:
                results += self._counts(make, predicate, obj, focus, sparql_path)
            elif predicate == SH.property and path is None:
                results += self._results(obj, key)
            elif predicate == SH.sparql:
                results += self._sparql(make, obj, key, sparql_path)
            elif predicate not in NOT_CONSTRAINTS:
                raise UnsupportedShape(f"{shape}: {predicate} is not compiled to SPARQL here")
        return results

    def _test(self, shape: Node, predicate: Node, obj: Node, var: str) -> str:
        """A SPARQL expression, never an error, true when the node in `var` passes."""
        if predicate == SH.nodeKind and obj in NODE_KINDS:
            return NODE_KINDS[obj].format(v=var)
        if predicate == SH.datatype and obj == RDFS.Literal:
            return f"isLiteral({var})"
        if predicate == SH.datatype and isinstance(obj, URIRef) and obj != RDFS.Datatype:
            ill = f"NOT EXISTS {{ GRAPH <{SETS_GRAPH}> {{ <{ILL_TYPED}> <{MEMBER}> {var} }} }}"
            return f"(isLiteral({var}) && DATATYPE({var}) = <{obj}> && {ill})"
        if predicate == SH["class"] and isinstance(obj, URIRef):
            return f"EXISTS {{ {var} {TYPE_OF} <{obj}> }}"
        if predicate == SH.pattern:
            pattern, flags = _python_regex(str(obj), str(self.shapes.value(shape, SH.flags) or ""))
            return f"(!isBlank({var}) && REGEX(STR({var}), {_string(pattern)}, {_string(flags)}))"
        if predicate == SH.languageIn:
            tags = ", ".join(_string(str(t).lower()) for t in Collection(self.shapes, obj))
            lang, wildcard = f"LCASE(LANG({var}))", str('"*"' in tags).lower()
            matches = f'{lang} IN ({tags}) || STRBEFORE({lang}, "-") IN ({tags})'
            return f'(isLiteral({var}) && LANG({var}) != "" && ({wildcard} || {matches}))'
        if predicate == SH["in"]:
            members = [f"sameTerm({var}, {_term(m)})" for m in Collection(self.shapes, obj)]
            return "(" + " || ".join([*members, "false"]) + ")"
        if predicate == SH["not"]:
            return f"!{self._conforms(obj, var)}"
        if predicate == SH.node:
            _ResultMaker(obj, self.shapes, None).require_messages()
            return self._conforms(obj, var)
        if predicate in (SH["or"], SH["and"], SH.xone):
            parts = [self._conforms(s, var) for s in Collection(self.shapes, obj)]
            if predicate == SH.xone:
                return "(" + " + ".join([*(f"IF({p}, 1, 0)" for p in parts), "0"]) + " = 1)"
            last = "false" if predicate == SH["or"] else "true"
            return "(" + (" || " if last == "false" else " && ").join([*parts, last]) + ")"
        raise UnsupportedShape(f"{shape}: {predicate} {obj} is not compiled to SPARQL")

    def _conforms(self, shape: Node, var: str) -> str:
        """True when the node in `var` conforms to `shape` (node shapes of value tests only)."""
        if self._deactivated(shape):
            return "true"
        if shape in self.stack or (shape, SH.path, None) in self.shapes:
            raise UnsupportedShape(f"{shape}: recursive, or a property shape not in sh:property")
        self.stack.append(shape)
        parts = []
        for predicate, obj in _parameters(self.shapes, shape):
            if predicate in VALUE_TESTS:
                parts.append(self._test(shape, predicate, obj, var))
            elif predicate not in NOT_CONSTRAINTS:
                raise UnsupportedShape(f"{shape}: {predicate} is not compiled in sh:node/or/not")
        self.stack.pop()
        return "(" + " && ".join([*parts, "true"]) + ")"

    def _details(self, shape: Node, failing: list[Term]) -> dict[Node, list[Result]]:
        """pyshacl's sh:detail of an sh:node result: the nested shape's results for its value."""
        by_focus: dict[Node, list[Result]] = defaultdict(list)
        if failing:
            key = self._add_members(f"urn:okg:shacl:set:{next(self.sets)}", set(failing))
            for result in self._results(shape, key):
                by_focus[result.focus].append(result)
        return by_focus

    def _counts(
        self, make: _ResultMaker, predicate: Node, obj: Node, focus: str, path: str
    ) -> Iterator[Result]:
        """Count constraints: one GROUP BY focus, HAVING the count that breaks them."""
        n, shape = "COUNT(DISTINCT ?value)", make.shape
        if predicate == SH.qualifiedValueShape:
            if self.shapes.value(shape, SH.qualifiedValueShapesDisjoint) == Literal(True):
                raise UnsupportedShape(f"{shape}: sh:qualifiedValueShapesDisjoint")
            low = self.shapes.value(shape, SH.qualifiedMinCount)
            high = self.shapes.value(shape, SH.qualifiedMaxCount)
            bounds = [f"{n} < {low}"] * (low is not None) + [f"{n} > {high}"] * (high is not None)
            test = f"FILTER({self._conforms(obj, '?value')})"
            query = (
                f"SELECT ?this ({n} AS ?n) {{ {focus} OPTIONAL {{ ?this {path} ?value {test} }} }} "
                f"GROUP BY ?this HAVING ({' || '.join([*bounds, 'false'])})"
            )
            for row in self._run(query):
                count_ = int(row["n"].value)
                if high is not None and count_ > int(str(high)):
                    yield make(SH.QualifiedMaxCountConstraintComponent, row["this"])
                if low is not None and count_ < int(str(low)):
                    yield make(SH.QualifiedMinCountConstraintComponent, row["this"])
            return
        lang = 'FILTER(isLiteral(?value) && LANG(?value) != "") BIND(LCASE(LANG(?value)) AS ?l)'
        pattern, by, having = {
            SH.minCount: (f"OPTIONAL {{ ?this {path} ?value }}", "", f"< {obj}"),
            SH.maxCount: (f"?this {path} ?value", "", f"> {obj}"),
            SH.uniqueLang: (f"?this {path} ?value {lang}", " ?l", "> 1"),
        }[predicate]  # type: ignore[index]
        query = f"SELECT ?this {{ {focus} {pattern} }} GROUP BY ?this{by} HAVING ({n} {having})"
        if predicate != SH.uniqueLang or obj == Literal(True):
            yield from (make(COUNTS[predicate], row["this"]) for row in self._run(query))

    def _sparql(self, make: _ResultMaker, constraint: Node, key: str, path: str) -> list[Result]:
        """An sh:sparql constraint, its $this bound first in its WHERE group from the focus set."""
        if self._deactivated(constraint):
            return []
        text = str(self.shapes.value(constraint, SH.select) or "")
        if not text or re.search(r"[$?](shapesGraph|currentShape|failure)\b", text):
            raise UnsupportedShape(f"{make.shape}: no sh:select, or $shapesGraph, $currentShape")
        if path:
            text = re.sub(r"([\s{}()])[$?]PATH\b", lambda m: m.group(1) + path, text)
        start = text.find("{", max(text.upper().find("SELECT"), 0)) + 1
        bind = f" GRAPH <{SETS_GRAPH}> {{ <{key}> <{MEMBER}> $this }} "
        solutions = self._run(self._prologue(constraint) + text[:start] + bind + text[start:])
        if "this" not in [v.value for v in solutions.variables]:
            raise UnsupportedShape(f"{make.shape}: an sh:sparql query must select $this")
        messages = [*self.shapes.objects(constraint, SH.message)]
        results, seen = [], set()
        for row in solutions:
            bound = {v.value: to_rdflib(row[v]) for v in solutions.variables if row[v] is not None}
            if frozenset(bound.items()) in seen:
                continue
            seen.add(frozenset(bound.items()))
            this, found_path, value = (bound.pop(n, None) for n in ("this", "path", "value"))
            value = this if value is None and make.path is None else value
            names = {**bound, "this": this, "path": found_path, "value": value}
            results.append(make(SH.SPARQLConstraintComponent, this, value=value, path=found_path,
                                constraint=constraint, extra=messages, names=names))  # fmt: skip
        return results

    def _run(self, query: str, *, update: bool = False) -> Any:
        """:raises UnsupportedShape: when a compiled or a shape's own query does not parse."""
        try:
            return self.store.update(query) if update else self.store.query(query)
        except SyntaxError as error:
            raise UnsupportedShape(f"shape query does not parse: {error}\n{query}") from None

    def _add_members(self, key: str, members: Iterable[Term]) -> str:
        graph, subject, member = ox.NamedNode(SETS_GRAPH), ox.NamedNode(key), ox.NamedNode(MEMBER)
        self.store.extend(ox.Quad(subject, member, m, graph) for m in members)
        return key

    def _prologue(self, node: Node) -> str:
        """pyshacl's prefixes for a query: rdflib's defaults, then the sh:prefixes declarations."""
        ontologies = set(self.shapes.subjects(RDF.type, OWL.Ontology))
        everywhere = {d for o in ontologies for d in self.shapes.objects(o, SH.declare)}
        prefixes = dict(self.defaults)
        for holder in self.shapes.objects(node, SH.prefixes):
            own = set(self.shapes.objects(holder, SH.declare))
            for d in own if own and holder in ontologies else own | everywhere:
                namespace = self.shapes.value(d, SH.namespace)
                prefixes[str(self.shapes.value(d, SH.prefix))] = str(namespace)
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items())

    def _deactivated(self, node: Node) -> bool:
        return self.shapes.value(node, SH.deactivated) == Literal(True)

    def _implicit_class(self, shape: Node) -> bool:
        """A shape that is also a class targets its instances (SHACL 2.1.3.3)."""
        types = set(self.shapes.objects(shape, RDF.type))
        classes = {RDFS.Class, *self.shapes.subjects(RDFS.subClassOf, RDFS.Class)}
        return bool(types & classes and types & {SH.NodeShape, SH.PropertyShape})


class _ResultMaker:
    """Results of one shape: its severity, messages and path, as pyshacl's make_v_result."""

    def __init__(self, shape: Node, shapes: rdflib.Graph, path: Node | None) -> None:
        self.shape, self.path = shape, path
        self.severity = shapes.value(shape, SH.severity) or SH.Violation
        self.messages = [m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)]

    def require_messages(self) -> None:
        if not self.messages:
            raise UnsupportedShape(f"{self.shape}: a shape that reports needs an sh:message")

    def __call__(
        self, component: Node, focus: Term | Node | None, *, value: Term | Node | None = None,
        path: Node | None = None, constraint: Node | None = None, details: tuple[Result, ...] = (),
        extra: Sequence[Node] = (), names: dict[str, Any] | None = None,
    ) -> Result:  # fmt: skip
        messages: list[Any] = [*self.messages, *(m for m in extra if m not in self.messages)]
        if not messages:
            self.require_messages()
        if names is not None:
            messages = [Literal(_format(str(m), names)) for m in messages]
        focus, value = (to_rdflib(n) if isinstance(n, Term) else n for n in (focus, value))
        path = self.path if path is None else path
        return Result(self.shape, component, focus, self.severity,  # type: ignore[arg-type]
                      tuple(messages), path, value, constraint, details)  # fmt: skip


def _parameters(shapes: rdflib.Graph, shape: Node) -> list[tuple[Node, Node]]:
    pairs = shapes.predicate_objects(shape)
    return sorted(((p, o) for p, o in pairs if str(p).startswith(str(SH))), key=str)


def _quads(triples: Iterable[ox.Triple]) -> Iterator[ox.Quad]:
    """Triples as rdflib reads them, and a marker for each literal pyshacl finds ill-typed."""
    default, sets = ox.DefaultGraph(), ox.NamedNode(SETS_GRAPH)
    for triple in triples:
        obj = triple.object
        if isinstance(obj, ox.Literal) and not obj.language and obj.datatype.value != XSD.string:
            obj, ill_typed = _as_rdflib_reads(obj.value, obj.datatype.value)
            if ill_typed:
                yield ox.Quad(ox.NamedNode(ILL_TYPED), ox.NamedNode(MEMBER), obj, sets)
        yield ox.Quad(triple.subject, triple.predicate, obj, default)


@lru_cache(maxsize=1 << 16)
def _as_rdflib_reads(lexical: str, datatype: str) -> tuple[ox.Literal, bool]:
    literal = Literal(lexical, datatype=URIRef(datatype))
    kind = PYTHON_TYPES.get(literal.datatype)
    ill = literal.ill_typed is True or (kind is not None and not isinstance(literal.value, kind))
    return ox.Literal(str(literal), datatype=ox.NamedNode(datatype)), ill


def _python_regex(pattern: str, flags: str) -> tuple[str, str]:
    """Python's `re` in Oxigraph's regex: without m, `$` also matches before a final newline."""
    used = "".join(f for f in "im" if f in flags.lower())
    out, escaped, in_class = [], False, False
    for char in pattern:
        if not escaped and not in_class and char == "$" and "m" not in used:
            out.append("(?:\\n?$)")
            continue
        in_class = (in_class or (char == "[" and not escaped)) and not (char == "]" and not escaped)
        escaped = char == "\\" and not escaped
        out.append(char)
    return "".join(out), used


def _format(message: str, names: dict[str, Any]) -> str:
    """pyshacl's message substitution: {?var} or {$var} by the bound term's str()."""
    for name, term in names.items():
        if term is not None:
            message = re.sub(f"{{[?$]{name}}}", str(term), message)
    return message


def _path(shapes: rdflib.Graph, node: Node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    inverse, alternatives = (
        shapes.value(node, SH.inversePath),
        shapes.value(node, SH.alternativePath),
    )
    if inverse is not None:
        return f"^({_path(shapes, inverse)})"
    if alternatives is not None:
        return "(" + "|".join(_path(shapes, p) for p in Collection(shapes, alternatives)) + ")"
    if (node, RDF.first, None) in shapes:
        return "(" + "/".join(_path(shapes, p) for p in Collection(shapes, node)) + ")"
    raise UnsupportedShape(f"path {node}: only predicate, inverse, sequence, alternative paths")


def _term(node: Node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        suffix = f"@{node.language}" if node.language else f"^^<{node.datatype or XSD.string}>"
        return _string(str(node)) + suffix
    raise UnsupportedShape(f"a blank node {node} cannot be matched in the data graph")


def _string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\r", "\\r") + '"'


def _add_result(graph: rdflib.Graph, result: Result, shapes: rdflib.Graph) -> BNode:
    node = BNode()
    pairs = [
        (RDF.type, SH.ValidationResult), (SH.focusNode, result.focus),
        (SH.resultSeverity, result.severity), (SH.sourceShape, result.shape),
        (SH.sourceConstraintComponent, result.component), (SH.value, result.value),
        (SH.resultPath, result.path), (SH.sourceConstraint, result.constraint),
        *((SH.resultMessage, m) for m in result.messages),
        *((SH.detail, _add_result(graph, d, shapes)) for d in result.details),
    ]  # fmt: skip
    for predicate, obj in pairs:
        if obj is not None:
            graph.add((node, predicate, obj))
    if isinstance(result.path, BNode):
        graph += shapes.cbd(result.path)
    return node
