"""Validation results as pyshacl reports them: who made them, their messages, the report graph."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import rdflib
from rdflib.namespace import RDF, SH
from rdflib.term import BNode, Literal, Node

from ombudsman_kg.build.shacl_sparql.text import Term
from ombudsman_kg.build.sources import to_rdflib
from ombudsman_kg.errors import UnsupportedShape


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
    graph: Node | None = None
    """The named graph a per-graph count found it in (`Evaluator(per_graph=True)`)."""


class ResultMaker:
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
            messages = [Literal(format_message(str(m), names)) for m in messages]
        focus, value = (to_rdflib(n) if isinstance(n, Term) else n for n in (focus, value))
        path = self.path if path is None else path
        return Result(self.shape, component, focus, self.severity,  # type: ignore[arg-type]
                      tuple(messages), path, value, constraint, details)  # fmt: skip


def parameters(shapes: rdflib.Graph, shape: Node) -> list[tuple[Node, Node]]:
    pairs = shapes.predicate_objects(shape)
    return sorted(((p, o) for p, o in pairs if str(p).startswith(str(SH))), key=str)


def format_message(message: str, names: dict[str, Any]) -> str:
    """pyshacl's message substitution: {?var} or {$var} by the bound term's str()."""
    for name, term in names.items():
        if term is not None:
            message = re.sub(f"{{[?$]{name}}}", str(term), message)
    return message


def add_result(graph: rdflib.Graph, result: Result, shapes: rdflib.Graph) -> BNode:
    node = BNode()
    pairs = [
        (RDF.type, SH.ValidationResult), (SH.focusNode, result.focus),
        (SH.resultSeverity, result.severity), (SH.sourceShape, result.shape),
        (SH.sourceConstraintComponent, result.component), (SH.value, result.value),
        (SH.resultPath, result.path), (SH.sourceConstraint, result.constraint),
        *((SH.resultMessage, m) for m in result.messages),
        *((SH.detail, add_result(graph, d, shapes)) for d in result.details),
    ]  # fmt: skip
    for predicate, obj in pairs:
        if obj is not None:
            graph.add((node, predicate, obj))
    if isinstance(result.path, BNode):
        graph += shapes.cbd(result.path)
    return node
