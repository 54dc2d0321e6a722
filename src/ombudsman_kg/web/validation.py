"""`/validation` (issue 12): the build's SHACL validation report, as RDF by negotiation and HTML.

The report is what `build` wrote (`outputs.REPORT_RDF`, made by `build.report_rdf.report_turtle`),
read once per process. Its results are blank nodes, which a parser labels anew in every
process; they are labelled canonically (RDFC-1.0) once read, so that every server process
writes the same bytes and so the same `ETag`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from flask import Blueprint, Response, render_template

from ombudsman_kg.build.outputs import REPORT_RDF
from ombudsman_kg.errors import NotFound
from ombudsman_kg.rdf.namespaces import BASE, RDF_TYPE
from ombudsman_kg.rdf.terms import Term, term_value
from ombudsman_kg.web import negotiation
from ombudsman_kg.web.pages import Link, Linker, Value, collect_labels
from ombudsman_kg.web.representation import Wanted, html_response, rdf_response
from ombudsman_kg.web.site import Site, current_site

bp = Blueprint("validation", __name__)
SH = "http://www.w3.org/ns/shacl#"
REPORT = BASE + "validation"
PATH = "/validation"
#: the alternates the page links to, in this order
FORMAT_NAMES = (
    ("Turtle", negotiation.TURTLE),
    ("JSON-LD", negotiation.JSONLD),
    ("N-Triples", negotiation.NTRIPLES),
    ("RDF/XML", negotiation.RDFXML),
)


@dataclass(frozen=True)
class Result:
    """One `sh:ValidationResult`, as the page shows it."""

    focus: Value
    path: Value | None
    value: Value | None
    message: str
    severity: Link | None
    shape: Value | None


@bp.route(PATH, methods=["GET", "HEAD"])
@bp.route(PATH + ".<extension>", methods=["GET", "HEAD"])
def report(extension: str | None = None) -> Response:
    """:raises NotFound: when the build wrote no report, or for an extension not offered."""
    site = current_site()
    triples = site.cached("validation_report", lambda: read_report(site.dist))
    wanted = Wanted.of_request(extension)
    if wanted.is_html:
        return html_response(_page(site, triples, wanted), wanted, path=PATH)
    return rdf_response(triples, wanted, path=PATH)


def read_report(dist: Path) -> list[pyoxigraph.Triple]:
    """The report's triples, blank nodes labelled canonically, sorted.

    :raises NotFound: when `dist` holds no report (a build from before issue 12).
    """
    path = dist / REPORT_RDF
    if not path.is_file():
        raise NotFound(f"this build wrote no validation report ({REPORT_RDF}): rebuild it")
    dataset = pyoxigraph.Dataset(pyoxigraph.parse(path=str(path)))
    dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted((q.triple for q in dataset), key=str)


def _page(site: Site, triples: list[pyoxigraph.Triple], wanted: Wanted) -> str:
    labels = collect_labels(triples, dict(site.ontology_labels()))
    linker = Linker(BASE, wanted.origin, wanted.language, labels)
    values: dict[tuple[str, str], list[Term]] = {}
    for triple in triples:
        values.setdefault((str(triple.subject), triple.predicate.value), []).append(triple.object)

    def first(node: str, predicate: str) -> Term | None:
        found = values.get((node, SH + predicate))
        return found[0] if found else None

    def shown(term: Term | None) -> Value | None:
        if term is None:
            return None
        if isinstance(term, pyoxigraph.BlankNode):
            return Value(text=_blank_text(term, values))
        return linker.value(term)

    report_node = next(
        (
            str(t.subject)
            for t in triples
            if t.predicate.value == RDF_TYPE and term_value(t.object) == SH + "ValidationReport"
        ),
        f"<{REPORT}>",
    )
    conforms = first(report_node, "conforms")
    results = []
    for node in values.get((report_node, SH + "result"), []):
        result = str(node)
        severity = first(result, "resultSeverity")
        message = first(result, "resultMessage")
        results.append(
            Result(
                focus=shown(first(result, "focusNode")) or Value(text="?"),
                path=shown(first(result, "resultPath")),
                value=shown(first(result, "value")),
                message=message.value if isinstance(message, pyoxigraph.Literal) else "",
                severity=linker.link(severity.value)
                if isinstance(severity, pyoxigraph.NamedNode)
                else None,
                shape=shown(first(result, "sourceShape")),
            )
        )
    results.sort(key=lambda r: (_sort_text(r.focus), _sort_text(r.path), r.message))
    return render_template(
        "validation.html",
        iri=REPORT,
        conforms=isinstance(conforms, pyoxigraph.Literal) and conforms.value == "true",
        results=results,
        formats=[
            (name, f"{PATH}.{negotiation.extension_of(media_type)}", media_type)
            for name, media_type in FORMAT_NAMES
        ],
        shapes=linker.href(BASE + "shapes.html"),
        dataset=linker.href(BASE + "dataset.html"),
        language=wanted.language,
    )


def _sort_text(value: Value | None) -> str:
    if value is None:
        return ""
    return value.link.iri if value.link else value.text


def _blank_text(node: pyoxigraph.BlankNode, values: dict[tuple[str, str], list[Term]]) -> str:
    """A blank node (a complex path, a shape written inline) as the triples it heads, briefly."""
    parts = [
        f"{predicate.rsplit('#', 1)[-1]} {term_value(obj)}"
        for (subject, predicate), objects in sorted(values.items())
        if subject == str(node)
        for obj in objects
    ]
    return "[ " + " ; ".join(parts) + " ]" if parts else "[ ]"
