"""The maxima of the shapes counted inside each named graph apart: the per-source check of
SPEC §7 (build/per_source.py) for every source graph in one store, one query per constraint.

Focus nodes, and the values a qualified shape tests, are found in the default graph (the union,
with the ontology), so each thing meets the shapes of the kinds any graph gives it; only the
counting is per graph. The shapes given here hold only maxima (`per_source.maxima_only`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from rdflib.namespace import SH
from rdflib.term import Literal, Node

from ombudsman_kg.build.shacl_sparql.compile import Evaluator
from ombudsman_kg.build.shacl_sparql.results import Result, ResultMaker
from ombudsman_kg.build.shacl_sparql.text import SETS_GRAPH
from ombudsman_kg.build.sources import to_rdflib


class PerGraphEvaluator(Evaluator):
    """An Evaluator whose count constraints count in each named graph; results name it."""

    def _counts(
        self, make: ResultMaker, predicate: Node, obj: Node, focus: str, path: str
    ) -> Iterator[Result]:
        """The maxima counted inside each named graph but the focus sets' (`GRAPH ?g`), grouped
        by graph too; a qualified shape's values are tested on the default graph (kinds)."""
        n, shape = "COUNT(DISTINCT ?value)", make.shape
        inside = f"GRAPH ?g {{ ?this {path} ?value }} FILTER(?g != <{SETS_GRAPH}>)"
        if predicate == SH.qualifiedValueShape:
            high = self.shapes.value(shape, SH.qualifiedMaxCount)
            if high is None:
                return
            test = f"FILTER({self._conforms(obj, '?value')})"
            query = (
                f"SELECT ?this ?g {{ {focus} {inside} {test} }} "
                f"GROUP BY ?this ?g HAVING ({n} > {high})"
            )
            component: Node = SH.QualifiedMaxCountConstraintComponent
        elif predicate == SH.maxCount:
            query = f"SELECT ?this ?g {{ {focus} {inside} }} GROUP BY ?this ?g HAVING ({n} > {obj})"
            component = SH.MaxCountConstraintComponent
        elif predicate == SH.uniqueLang and obj == Literal(True):
            lang = 'FILTER(isLiteral(?value) && LANG(?value) != "") BIND(LCASE(LANG(?value)) AS ?l)'
            query = (
                f"SELECT DISTINCT ?this ?g {{ {{ SELECT ?this ?g ?l {{ {focus} {inside} {lang} }} "
                f"GROUP BY ?this ?g ?l HAVING ({n} > 1) }} }}"
            )
            component = SH.UniqueLangConstraintComponent
        else:
            return
        for row in self._run(query):
            yield replace(make(component, row["this"]), graph=to_rdflib(row["g"]))
