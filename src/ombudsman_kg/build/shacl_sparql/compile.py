"""Each (shape, constraint) compiled into one set-at-a-time SPARQL query over the data."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import count
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Literal, Node, URIRef

from ombudsman_kg.build.shacl_sparql.results import Result, ResultMaker, parameters
from ombudsman_kg.build.shacl_sparql.text import (
    ILL_TYPED,
    MEMBER,
    SETS_GRAPH,
    Term,
    path_text,
    python_regex,
    string,
    term_text,
)
from ombudsman_kg.build.sources import to_oxigraph, to_rdflib
from ombudsman_kg.errors import UnsupportedShape

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


class Evaluator:
    """Runs every targeted shape over one store, focus sets materialized once per target."""

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
            values = " ".join(term_text(c) for c in classes)
            self._run(insert + f"{{ VALUES ?c {{ {values} }} ?this {TYPE_OF} ?c }}", update=True)  # noqa: S608
        self._add_members(key, [to_oxigraph(n) for n in self.shapes.objects(shape, SH.targetNode)])  # type: ignore[arg-type]
        for p in self.shapes.objects(shape, SH.targetSubjectsOf):
            self._run(insert + f"{{ ?this {term_text(p)} ?any }}", update=True)
        for p in self.shapes.objects(shape, SH.targetObjectsOf):
            self._run(insert + f"{{ ?any {term_text(p)} ?this }}", update=True)
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
        sparql_path = "" if path is None else path_text(self.shapes, path)
        values = focus if path is None else f"{focus} ?this {sparql_path} ?value ."
        var = "?this" if path is None else "?value"
        make = ResultMaker(shape, self.shapes, path)
        results: list[Result] = []
        for predicate, obj in parameters(self.shapes, shape):
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
            pattern, flags = python_regex(str(obj), str(self.shapes.value(shape, SH.flags) or ""))
            return f"(!isBlank({var}) && REGEX(STR({var}), {string(pattern)}, {string(flags)}))"
        if predicate == SH.languageIn:
            tags = ", ".join(string(str(t).lower()) for t in Collection(self.shapes, obj))
            lang, wildcard = f"LCASE(LANG({var}))", str('"*"' in tags).lower()
            matches = f'{lang} IN ({tags}) || STRBEFORE({lang}, "-") IN ({tags})'
            return f'(isLiteral({var}) && LANG({var}) != "" && ({wildcard} || {matches}))'
        if predicate == SH["in"]:
            members = [f"sameTerm({var}, {term_text(m)})" for m in Collection(self.shapes, obj)]
            return "(" + " || ".join([*members, "false"]) + ")"
        if predicate == SH["not"]:
            return f"!{self._conforms(obj, var)}"
        if predicate == SH.node:
            ResultMaker(obj, self.shapes, None).require_messages()
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
        for predicate, obj in parameters(self.shapes, shape):
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
        self, make: ResultMaker, predicate: Node, obj: Node, focus: str, path: str
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

    def _sparql(self, make: ResultMaker, constraint: Node, key: str, path: str) -> list[Result]:
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
