"""Write a seeded synthetic data directory in the graph's shape (SPEC §7) for benchmarks.

`python bench/generate.py --triples N --out DIR [--seed S]` writes one TriG file per topic, like
`data/` (docs/authoring.md), such that `graph/data` of `ombudsman-kg build --data DIR --dist OUT`
holds N triples (± a few, the provenance the build derives included), passes
`shapes/okg-shapes.ttl` and the rules of who states what (`build/statements.py`). It also writes
`DIR/bench-manifest.json` (ignored by the build, which reads only `*.trig` and `*.ttl`): the
counts and the IRIs and words the query mix of `bench/run.py` is parameterized with.

Sources and statements: the data comes from about one source per 1000 triples (N / 1000, at
least 2: a registry of roles and countries, and the growing sources), each a news article
(`schema:NewsArticle`), a member page of an association (`okg:OwnWebPage`) or a web page
(`schema:WebPage`), in Azerbaijani or in English, described by the publisher outside the blocks
(label in both languages, `schema:url`, `dct:title`, `dct:publisher`, `schema:inLanguage`,
`dct:issued` or an editorial note saying the page gives no date). What a source states goes in
its `GRAPH source:{slug} { ... }` block: the kinds, the names in the source's language, the
facts; the publisher writes the label in the other language, the ISO codes, the editorial notes
and the descriptions of sources outside the blocks, and no `prov:wasDerivedFrom` (the build
derives it). Some things are described by two sources, each giving its own value where the
shapes allow one: every `SHARED_FOUNDING_EVERY`-th founding is dated by a second source to the
day of the year the first gives (a disagreement of kind precision), and every
`CONTRADICTED_MEETING_EVERY`-th General Assembly meeting is dated by a second source to another
year (kind substance); each such case has its `id/disagreement/...` resource, whose sides' values
are in their sources' blocks.

The data grows by one "institution bundle" at a time (an ombudsman institution with its
founding, organs, regional office, people, posts, memberships and events; about 170 triples),
grouped under associations of ombudsmen, and is topped up to N with extra General Assembly
meetings. A new source starts whenever the data has grown by N / (number of sources) triples,
so each source states a run of consecutive bundles. Nesting for `org:unitOf*`: the shapes
require `org:unitOf` to point at an `org:FormalOrganization`, so the middle link of each chain is
a regional office typed both `org:FormalOrganization` and `org:OrganizationalUnit` (unit ->
regional office -> institution).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

B = "https://w3id.org/ombudsman-kg/id/"
SOURCE_GRAPHS = "https://w3id.org/ombudsman-kg/graph/source/"
PREFIXES = {
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "okg": "https://w3id.org/ombudsman-kg/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "source": SOURCE_GRAPHS,
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
COLUMN = 22
INSTITUTIONS_PER_ASSOCIATION = 40
TRIPLES_PER_SOURCE = 1000
SHARED_FOUNDING_EVERY = 4
CONTRADICTED_MEETING_EVERY = 8
ENGLISH_SOURCES = 0.25  # the share of sources written in English (the others in Azerbaijani)
UNDATED_SOURCES = 0.2  # the share of sources that give no date of publication
MANIFEST = "bench-manifest.json"
SAMPLES = 200
PAGE_POOL = 15_000  # distinct things for pages no cache has seen (run.py's doc-*-cold items)
# The kinds of the growing sources, in turn:
# (key, rdf:type values, slug suffix, English, Azerbaijani).
SOURCE_KINDS = [
    ("news", ["schema:NewsArticle"], "news-article", "News article", "xəbər məqaləsi"),
    ("own", ["okg:OwnWebPage"], "member-page", "Member page", "üzv səhifəsi"),
    ("page", ["schema:WebPage"], "web-page", "Web page", "veb-səhifə"),
]
_SUBJECTS: set[tuple[str, str | None]] = set()  # (subject, graph) written: none twice

Statements = Sequence[tuple[str, list[str]]]

COUNTRIES = [
    ("azerbaijan", "Azerbaijan", "Azərbaycan", "AZ", "AZE", "031"),
    ("pakistan", "Pakistan", "Pakistan", "PK", "PAK", "586"),
    ("turkiye", "Türkiye", "Türkiyə", "TR", "TUR", "792"),
    ("morocco", "Morocco", "Mərakeş", "MA", "MAR", "504"),
    ("iran", "Iran", "İran", "IR", "IRN", "364"),
    ("indonesia", "Indonesia", "İndoneziya", "ID", "IDN", "360"),
    ("kazakhstan", "Kazakhstan", "Qazaxıstan", "KZ", "KAZ", "398"),
    ("uzbekistan", "Uzbekistan", "Özbəkistan", "UZ", "UZB", "860"),
    ("turkmenistan", "Turkmenistan", "Türkmənistan", "TM", "TKM", "795"),
    ("kyrgyzstan", "Kyrgyzstan", "Qırğızıstan", "KG", "KGZ", "417"),
    ("tajikistan", "Tajikistan", "Tacikistan", "TJ", "TJK", "762"),
    ("egypt", "Egypt", "Misir", "EG", "EGY", "818"),
    ("saudi-arabia", "Saudi Arabia", "Səudiyyə Ərəbistanı", "SA", "SAU", "682"),
    ("jordan", "Jordan", "İordaniya", "JO", "JOR", "400"),
    ("malaysia", "Malaysia", "Malayziya", "MY", "MYS", "458"),
    ("bangladesh", "Bangladesh", "Banqladeş", "BD", "BGD", "050"),
    ("nigeria", "Nigeria", "Nigeriya", "NG", "NGA", "566"),
    ("senegal", "Senegal", "Seneqal", "SN", "SEN", "686"),
    ("algeria", "Algeria", "Əlcəzair", "DZ", "DZA", "012"),
    ("tunisia", "Tunisia", "Tunis", "TN", "TUN", "788"),
    ("libya", "Libya", "Liviya", "LY", "LBY", "434"),
    ("sudan", "Sudan", "Sudan", "SD", "SDN", "729"),
    ("qatar", "Qatar", "Qətər", "QA", "QAT", "634"),
    ("kuwait", "Kuwait", "Küveyt", "KW", "KWT", "414"),
    ("bahrain", "Bahrain", "Bəhreyn", "BH", "BHR", "048"),
    ("oman", "Oman", "Oman", "OM", "OMN", "512"),
    (
        "united-arab-emirates",
        "United Arab Emirates",
        "Birləşmiş Ərəb Əmirlikləri",
        "AE",
        "ARE",
        "784",
    ),
    ("albania", "Albania", "Albaniya", "AL", "ALB", "008"),
    ("afghanistan", "Afghanistan", "Əfqanıstan", "AF", "AFG", "004"),
    ("iraq", "Iraq", "İraq", "IQ", "IRQ", "368"),
    ("lebanon", "Lebanon", "Livan", "LB", "LBN", "422"),
    ("yemen", "Yemen", "Yəmən", "YE", "YEM", "887"),
    ("mali", "Mali", "Mali", "ML", "MLI", "466"),
    ("niger", "Niger", "Niger", "NE", "NER", "562"),
    ("chad", "Chad", "Çad", "TD", "TCD", "148"),
    ("somalia", "Somalia", "Somali", "SO", "SOM", "706"),
    ("djibouti", "Djibouti", "Cibuti", "DJ", "DJI", "262"),
    ("gambia", "Gambia", "Qambiya", "GM", "GMB", "270"),
    ("guinea", "Guinea", "Qvineya", "GN", "GIN", "324"),
    ("burkina-faso", "Burkina Faso", "Burkina-Faso", "BF", "BFA", "854"),
    ("cameroon", "Cameroon", "Kamerun", "CM", "CMR", "120"),
    ("uganda", "Uganda", "Uqanda", "UG", "UGA", "800"),
    ("mozambique", "Mozambique", "Mozambik", "MZ", "MOZ", "508"),
    ("brunei", "Brunei", "Bruney", "BN", "BRN", "096"),
    ("maldives", "Maldives", "Maldiv adaları", "MV", "MDV", "462"),
    ("georgia", "Georgia", "Gürcüstan", "GE", "GEO", "268"),
    ("syria", "Syria", "Suriya", "SY", "SYR", "760"),
    ("mauritania", "Mauritania", "Mavritaniya", "MR", "MRT", "478"),
    ("sierra-leone", "Sierra Leone", "Syerra-Leone", "SL", "SLE", "694"),
    ("guyana", "Guyana", "Qayana", "GY", "GUY", "328"),
]
# (slug, English, Azerbaijani)
ROLES = [
    ("member", "member", "üzv"),
    ("board-member", "member of the board of directors", "İdarə Heyətinin üzvü"),
    ("organ-representation", "representation on an organ", "orqanda təmsilçilik"),
    ("president", "president", "prezident"),
    ("adviser", "adviser", "müşavir"),
    ("chair", "chair", "sədr"),
]
# The organs of an institution: (slug suffix, English, Azerbaijani after "<name> Ombudsmanının").
ORGANS = [
    ("secretariat", "Secretariat", "Katibliyi"),
    ("board-of-directors", "Board of Directors", "İdarə Heyəti"),
    ("general-assembly", "General Assembly", "Baş Assambleyası"),
    (
        "sub-committee-on-womens-rights",
        "Sub-Committee on Women's Rights",
        "Qadın Hüquqları üzrə Alt Komitəsi",
    ),
]
OFFICE_ORGANS = [
    ("child-rights-working-group", "Child Rights Working Group", "Uşaq Hüquqları üzrə İşçi Qrupu"),
    ("complaints-department", "Complaints Department", "Şikayətlər Şöbəsi"),
]
# (English, Azerbaijani, female)
FIRST_NAMES = [
    ("Aygun", "Aygün", True),
    ("Rashad", "Rəşad", False),
    ("Gulshan", "Gülşən", True),
    ("Chingiz", "Çingiz", False),
    ("Farid", "Fərid", False),
    ("Sevinj", "Sevinc", True),
    ("Tural", "Tural", False),
    ("Nigar", "Nigar", True),
    ("Orkhan", "Orxan", False),
    ("Lala", "Lalə", True),
    ("Elnur", "Elnur", False),
    ("Gunay", "Günay", True),
    ("Ilgar", "İlqar", False),
    ("Shahla", "Şəhla", True),
    ("Toghrul", "Toğrul", False),
    ("Ozlem", "Özləm", True),
]
LAST_NAMES = [
    ("Mammadov", "Məmmədov"),
    ("Aliyev", "Əliyev"),
    ("Huseynov", "Hüseynov"),
    ("Aghayev", "Ağayev"),
    ("Gasimov", "Qasımov"),
    ("Ismayilov", "İsmayılov"),
    ("Hasanov", "Həsənov"),
    ("Guliyev", "Quliyev"),
    ("Shirinov", "Şirinov"),
    ("Babayev", "Babayev"),
]
SYLLABLES = [
    "ka",
    "ra",
    "mi",
    "no",
    "se",
    "lu",
    "ta",
    "vi",
    "do",
    "ze",
    "ba",
    "qo",
    "ri",
    "fa",
    "gu",
    "le",
    "sa",
    "ti",
    "mo",
    "ne",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, required=True, help="about how many triples")
    parser.add_argument("--out", type=Path, required=True, help="data directory to write")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    if args.triples < 500:
        parser.error("--triples must be at least 500 (one association with one institution)")
    manifest = generate(args.triples, args.out, seed=args.seed)
    print(
        f"wrote {manifest['triples']} triples ({manifest['quads']} quads written, "
        f"{manifest['sources']} sources, {manifest['disagreements']} disagreements) to "
        f"{args.out} ({', '.join(f'{k} {v}' for k, v in manifest['files'].items())})",
        file=sys.stderr,
    )
    return 0


def generate(target: int, out: Path, *, seed: int = 1) -> dict[str, Any]:
    """Write the data directory; returns the manifest (its `triples`, the size of `graph/data`
    once built, is within a few of `target`; `files` counts the quads written per file)."""
    out.mkdir(parents=True, exist_ok=True)
    for pattern in ("*.ttl", "*.trig"):
        for old in out.glob(pattern):
            old.unlink()
    _SUBJECTS.clear()
    graph = _Generator(target, random.Random(seed))
    graph.run()
    counts = {}
    for name, trig in graph.files.items():
        (out / f"{name}.trig").write_text(trig.text(seed), encoding="utf-8")
        counts[name] = trig.triples
    manifest = {
        "seed": seed,
        "target": target,
        "triples": graph.data_triples,
        "quads": sum(counts.values()),
        "files": counts,
        "sources": len(graph.sources),
        "two_source_things": graph.shared_count,
        "disagreements": len(graph.disagreements),
        **graph.samples(),
    }
    (out / MANIFEST).write_text(
        json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return manifest


def name_of(number: int) -> str:
    """A pronounceable ASCII name, different for every number (bijective base-20 syllables).

    A one-syllable name is lengthened by a consonant, not by a syllable: "mi" + "ra" would be
    the two-syllable name "mira" of another number, and two things would share one IRI.
    """
    syllables = []
    n = number + 1
    while n > 0:
        n, digit = divmod(n - 1, len(SYLLABLES))
        syllables.append(SYLLABLES[digit])
    word = "".join(reversed(syllables))
    if len(syllables) == 1:
        word += "n"  # odd length: no other name has it, while every syllable has two letters
    return word.capitalize()


@dataclass(frozen=True)
class _Source:
    slug: str
    language: str  # "az" or "en": the language of its names

    @property
    def iri(self) -> str:
        return _iri("source", self.slug)

    @property
    def ref(self) -> str:
        return f"<{self.iri}>"

    @property
    def graph(self) -> str:
        return f"source:{self.slug}"


@dataclass
class _TriG:
    """One topic file: statements in house style (docs/authoring.md), counting the quads."""

    topic: str
    chunks: list[str] = field(default_factory=list)
    triples: int = 0

    def add(self, iri: str, statements: Statements, graph: str | None = None) -> int:
        """Write one statement about `iri`, in the block of `graph` (a `source:` name) or the
        publisher's (None); returns the number of triples written."""
        if (iri, graph) in _SUBJECTS:
            raise AssertionError(f"generated twice: <{iri}> in {graph or 'the default graph'}")
        _SUBJECTS.add((iri, graph))
        statements = [(p, objs) for p, objs in statements if objs]
        if not statements:
            return 0
        indent = "        " if graph else "    "
        lines = [f"{indent[4:]}<{iri}>"]
        written = 0
        for index, (predicate, objects) in enumerate(statements):
            end = " ." if index == len(statements) - 1 else " ;"
            for position, obj in enumerate(objects):
                head = predicate.ljust(COLUMN) if position == 0 else " " * COLUMN
                tail = end if position == len(objects) - 1 else " ,"
                lines.append(f"{indent}{head}{obj}{tail}")
            written += len(objects)
        if graph:
            lines = [f"GRAPH {graph} {{", *lines, "}"]
        self.chunks.append("\n".join(lines) + "\n")
        self.triples += written
        return written

    def text(self, seed: int) -> str:
        width = max(len(p) for p in PREFIXES) + 2
        head = [f"@prefix {(p + ':').ljust(width)}<{ns}> ." for p, ns in sorted(PREFIXES.items())]
        comment = (
            f"# Synthetic benchmark data ({self.topic}), written by bench/generate.py with "
            f"seed {seed}.\n# Not facts: names, dates, sources and links are invented.\n"
        )
        return "\n".join(head) + "\n\n" + comment + "\n" + "\n".join(self.chunks)


def _iri(kind: str, slug: str) -> str:
    return f"{B}{kind}/{slug}"


def _ref(kind: str, slug: str) -> str:
    return f"<{_iri(kind, slug)}>"


def _text(value: str, language: str | None = None) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{language}' if language else f'"{escaped}"'


def _labels(english: str, azerbaijani: str) -> tuple[str, list[str]]:
    return ("rdfs:label", [_text(english, "en"), _text(azerbaijani, "az")])


def _lexical(literal: str) -> str:
    """The lexical form of a typed literal written as `"..."^^xsd:...`."""
    return literal.split('"')[1]


class _Generator:
    """Builds the topic files; every thing it links to, it also describes, in a source's block."""

    def __init__(self, target: int, rng: random.Random) -> None:
        self.target = target
        self.rng = rng
        topics = [
            "sources",
            "places",
            "roles",
            "objectives",
            "organizations",
            "organs",
            "people-and-posts",
            "memberships",
            "events",
        ]
        self.files = {t: _TriG(t) for t in topics}
        self.countries = COUNTRIES[: max(6, min(len(COUNTRIES), target // 2000))]
        self.growing = max(1, round(target / TRIPLES_PER_SOURCE) - 1)
        self.per_source = target / self.growing
        self.sources: list[_Source] = []
        self.agencies: list[str] = []  # publishers of news articles and web pages
        self.associations: list[tuple[str, str]] = []  # (slug, name)
        self.institutions: list[str] = []
        self.institution_names: list[str] = []
        self.persons: list[str] = []
        self.units: list[str] = []
        self.events: list[str] = []
        self.disagreements: list[str] = []
        self.shared: dict[str, set[tuple[str, str]]] = {}  # what each shared thing's sources state
        self.shared_count = 0
        self.data_triples = 0  # the size of graph/data once built: derived provenance included
        self.names_used = 0
        self.extra_events = 0

    def run(self) -> None:
        self._registry()
        for role in ROLES:
            self._role(*role)
        for country in self.countries:
            self._country(*country)
        bundle = 0
        while True:
            before = self.data_triples
            opened = len(self.sources) - 1
            if opened < self.growing and self.data_triples >= opened * self.per_source:
                self._open_source()
            if len(self.institutions) % INSTITUTIONS_PER_ASSOCIATION == 0:
                self._association()
            self._institution()
            bundle = max(bundle, self.data_triples - before)
            if self.data_triples + bundle + 60 > self.target:
                break
        while self.data_triples < self.target - 5:
            self._extra_general_assembly()

    def samples(self) -> dict[str, object]:
        """IRIs and search words for the query mix, drawn with the same seed."""
        rng = random.Random(self.rng.random())

        def pick(items: list[str]) -> list[str]:
            return items if len(items) <= SAMPLES else rng.sample(items, SAMPLES)

        words = [f"{name.lower()} ombudsmanının regional ofisi" for name in self.institution_names]
        everything = self.institutions + self.persons + self.units + self.events
        return {
            "associations": [_iri("organization", s) for s, _ in self.associations],
            "institutions": pick(self.institutions),
            "persons": pick(self.persons),
            "units": pick(self.units),
            "events": pick(self.events),
            "countries": [_iri("place", c[0]) for c in self.countries],
            "sources_sample": pick([s.iri for s in self.sources]),
            "disagreements_sample": pick(self.disagreements),
            "search_words": pick(words),
            "page_pool": rng.sample(everything, min(len(everything), PAGE_POOL)),
            "institution_count": len(self.institutions),
            "extra_events": self.extra_events,
        }

    # ---- writing: who states what ----------------------------------------------------------

    def _publisher(self, topic: str, iri: str, statements: Statements) -> None:
        """The publisher's statements about `iri` (outside the blocks)."""
        self.data_triples += self.files[topic].add(iri, statements)

    def _stated(
        self, topic: str, iri: str, source: _Source, statements: Statements, *, shared: bool = False
    ) -> None:
        """What `source` states about `iri`, in its block; `shared`: another source will state
        something about it too (its triples are remembered so that restated ones count once)."""
        pairs = {(p, o) for p, objs in statements for o in objs}
        repeated = 0
        if iri in self.shared:
            repeated = len(pairs & self.shared[iri])
            self.shared[iri] |= pairs
        elif shared:
            self.shared[iri] = pairs
            self.shared_count += 1
        written = self.files[topic].add(iri, statements, source.graph)
        self.data_triples += written - repeated + 1  # + the prov:wasDerivedFrom the build derives

    def _thing(
        self,
        topic: str,
        iri: str,
        source: _Source,
        types: list[str],
        english: str,
        azerbaijani: str,
        stated: Statements = (),
        published: Statements = (),
        *,
        shared: bool = False,
    ) -> None:
        """A thing as `source` states it (kinds, its name in the source's language, `stated`),
        and the publisher's name for it in the other language (and `published`)."""
        own, other = (
            (_text(azerbaijani, "az"), _text(english, "en"))
            if source.language == "az"
            else (_text(english, "en"), _text(azerbaijani, "az"))
        )
        self._stated(
            topic, iri, source, [("a", types), ("rdfs:label", [own]), *stated], shared=shared
        )
        self._publisher(topic, iri, [("rdfs:label", [other]), *published])

    def _other_source(self) -> _Source:
        """A second source for a shared thing: an earlier growing source, or the registry."""
        earlier = self.sources[1:-1]
        return self.rng.choice(earlier) if earlier else self.sources[0]

    def _disagreement(
        self,
        slug: str,
        about: str,
        on_property: str,
        kind: str,
        english: str,
        azerbaijani: str,
        sides: list[tuple[str, _Source]],
    ) -> None:
        """A disagreement (publisher's) on `about`'s `on_property`: a side per (value, source)."""
        iri = _iri("disagreement", slug)
        side_iris = [_iri("disagreement", f"{slug}-side-{i + 1}") for i in range(len(sides))]
        self.disagreements.append(iri)
        self._publisher(
            "events",
            iri,
            [
                ("a", ["okg:Disagreement"]),
                _labels(english, azerbaijani),
                ("schema:about", [f"<{about}>"]),
                ("okg:disagreementKind", [kind]),
                ("okg:onProperty", [on_property]),
                ("okg:side", [f"<{s}>" for s in side_iris]),
                (
                    "skos:editorialNote",
                    [_text("Synthetic: the sources give these values; none is chosen.", "en")],
                ),
            ],
        )
        # the build derives prov:wasDerivedFrom for a disagreement and its sides from the
        # sources its sides name
        self.data_triples += len({source.slug for _, source in sides}) + len(sides)
        for side_iri, (value, source) in zip(side_iris, sides, strict=True):
            self._publisher(
                "events",
                side_iri,
                [
                    ("a", ["okg:DisagreementSide"]),
                    _labels(_lexical(value), _lexical(value)),
                    ("okg:sideOf", [f"<{iri}>"]),
                    ("okg:sideValue", [value]),
                    ("okg:statedBy", [source.ref]),
                ],
            )

    # ---- sources ---------------------------------------------------------------------------

    def _describe_source(
        self,
        source: _Source,
        types: list[str],
        english: str,
        azerbaijani: str,
        title: str,
        url: str,
        publisher: str,
    ) -> None:
        undated = self.rng.random() < UNDATED_SOURCES
        self._publisher(
            "sources",
            source.iri,
            [
                ("a", types),
                _labels(english, azerbaijani),
                ("dct:title", [_text(title, source.language)]),
                ("schema:url", [f"<{url}>"]),
                ("dct:publisher", [publisher]),
                ("schema:inLanguage", [_text(source.language)]),
                ("dct:issued", [] if undated else [self._date(2010, 2024)]),
                (
                    "skos:editorialNote",
                    [_text("Synthetic: the page gives no date of publication.", "en")]
                    if undated
                    else [],
                ),
            ],
        )

    def _registry(self) -> None:
        source = _Source("bench-registry", "en")
        self.sources.append(source)
        office = _iri("organization", "bench-registry-office")
        self._thing(
            "organizations",
            office,
            source,
            ["org:FormalOrganization"],
            "Synthetic Benchmark Registry Office",
            "Sintetik Sınaq Reyestri İdarəsi",
        )
        self._describe_source(
            source,
            ["schema:WebPage"],
            "Synthetic benchmark registry",
            "Sintetik sınaq reyestri",
            "Synthetic benchmark registry (bench/generate.py)",
            "https://example.org/ombudsman-kg/bench/registry",
            f"<{office}>",
        )

    def _open_source(self) -> None:
        """The next growing source: what the bundles after this state goes into its block."""
        index = len(self.sources) - 1
        key, types, suffix, kind_en, kind_az = SOURCE_KINDS[index % len(SOURCE_KINDS)]
        name = self._name()
        language = "en" if self.rng.random() < ENGLISH_SOURCES else "az"
        source = _Source(f"{name.lower()}-{suffix}", language)
        self.sources.append(source)
        if key == "news" or not self.agencies:
            agency = _iri("organization", f"{name.lower()}-news-agency")
            self.agencies.append(agency)
            self._thing(  # the article names its publisher (its masthead)
                "organizations",
                agency,
                source,
                ["org:FormalOrganization"],
                f"{name} News Agency",
                f"{name} Xəbər Agentliyi",
            )
        if key == "own" and self.associations:
            slug, association = self.associations[-1]
            publisher = _ref("organization", slug)
            host = f"{association.lower()}-association.example.org"
            title_en = f"Members of the {association} Association of Ombudsmen: {name}"
            title_az = f"{association} Ombudsmanlar Assosiasiyasının üzvləri: {name}"
        else:
            publisher = f"<{self.agencies[-1]}>"
            host = self.agencies[-1].rsplit("/", 1)[1] + ".example.org"
            title_en = f"{kind_en} {name}"
            title_az = f"{name} {kind_az}"
        self._describe_source(
            source,
            types,
            f"{kind_en} {name} ({host})",
            f"{name} {kind_az} ({host})",
            title_en if language == "en" else title_az,
            f"https://{host}/{suffix}/{name.lower()}",
            publisher,
        )

    # ---- fixed parts -----------------------------------------------------------------------

    def _role(self, slug: str, english: str, azerbaijani: str) -> None:
        self._thing(
            "roles", _iri("role", slug), self.sources[0], ["org:Role"], english, azerbaijani
        )

    def _country(
        self, slug: str, english: str, azerbaijani: str, a2: str, a3: str, num: str
    ) -> None:
        self._thing(
            "places",
            _iri("place", slug),
            self.sources[0],
            ["schema:Country"],
            english,
            azerbaijani,
            published=[
                ("okg:iso3166Alpha2", [_text(a2)]),
                ("okg:iso3166Alpha3", [_text(a3)]),
                ("okg:iso3166Numeric", [_text(num)]),
            ],
        )

    # ---- growing parts ---------------------------------------------------------------------

    def _name(self) -> str:
        self.names_used += 1
        return name_of(self.names_used)

    def _country_ref(self) -> str:
        return _ref("place", self.rng.choice(self.countries)[0])

    def _date(self, first: int = 2000, last: int = 2024) -> str:
        year = self.rng.randint(first, last)
        precision = self.rng.random()
        if precision < 0.4:
            return f'"{year}"^^xsd:gYear'
        month = self.rng.randint(1, 12)
        if precision < 0.7:
            return f'"{year}-{month:02d}"^^xsd:gYearMonth'
        return f'"{year}-{month:02d}-{self.rng.randint(1, 28):02d}"^^xsd:date'

    def _association(self) -> None:
        source = self.sources[-1]
        name = self._name()
        slug = f"{name.lower()}-association-of-ombudsmen"
        self.associations.append((slug, name))
        founding = f"{slug}-founding"
        purposes = [f"{slug}-exchange-of-experience", f"{slug}-joint-activities"]
        self._thing(
            "organizations",
            _iri("organization", slug),
            source,
            ["org:FormalOrganization"],
            f"{name} Association of Ombudsmen",
            f"{name} Ombudsmanlar Assosiasiyası",
            [
                ("skos:altLabel", [_text(f"{name[:3].upper()}OA")]),
                ("org:purpose", [_ref("purpose", p) for p in purposes]),
                ("org:resultedFrom", [_ref("event", founding)]),
            ],
        )
        self._founding(
            founding,
            f"the {name} Association of Ombudsmen",
            f"{name} Ombudsmanlar Assosiasiyasının",
            source,
            shared=True,
        )
        self._thing(
            "objectives",
            _iri("purpose", purposes[0]),
            source,
            ["okg:Objective"],
            f"Exchange of experience between the members of the {name} Association",
            f"{name} Assosiasiyasının üzvləri arasında təcrübə mübadiləsi",
        )
        self._thing(
            "objectives",
            _iri("purpose", purposes[1]),
            source,
            ["okg:Objective"],
            f"Joint activities of the {name} Association",
            f"{name} Assosiasiyasının birgə fəaliyyətləri",
        )
        for suffix, english, azerbaijani in ORGANS:
            self._unit(
                f"{slug}-{suffix}",
                _ref("organization", slug),
                f"{english} of the {name} Association of Ombudsmen",
                f"{name} Ombudsmanlar Assosiasiyasının {azerbaijani}",
                source,
            )

    def _founding(
        self, slug: str, english_of: str, azerbaijani_of: str, source: _Source, *, shared: bool
    ) -> None:
        """A founding dated to the year; when `shared`, a second source dates it to the day."""
        iri = _iri("event", slug)
        self.events.append(iri)
        year = self.rng.randint(1990, 2015)
        first = f'"{year}"^^xsd:gYear'
        second_source = self._other_source() if shared else None
        self._thing(
            "events",
            iri,
            source,
            ["okg:Founding"],
            f"Founding of {english_of}",
            f"{azerbaijani_of} təsisi",
            [("schema:startDate", [first]), ("schema:location", [self._country_ref()])],
            [
                (
                    "skos:editorialNote",
                    [_text("Synthetic: one source gives the year, another the day.", "en")],
                )
            ]
            if shared
            else [],
            shared=shared,
        )
        if second_source is None:
            return
        day = f'"{year}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"^^xsd:date'
        self._stated(
            "events", iri, second_source, [("a", ["okg:Founding"]), ("schema:startDate", [day])]
        )
        self._disagreement(
            f"{slug}-date",
            iri,
            "schema:startDate",
            "okg:precision",
            f"When {english_of} was founded",
            f"{azerbaijani_of} nə vaxt təsis olunduğu",
            [(first, source), (day, second_source)],
        )

    def _unit(
        self, slug: str, parent: str, english: str, azerbaijani: str, source: _Source
    ) -> None:
        self.units.append(_iri("unit", slug))
        self._thing(
            "organs",
            _iri("unit", slug),
            source,
            ["org:OrganizationalUnit"],
            english,
            azerbaijani,
            [("org:unitOf", [parent])],
        )

    def _person(self, slug_hint: str, source: _Source, holds: str | None = None) -> str:
        first_en, first_az, female = self.rng.choice(FIRST_NAMES)
        last_en, last_az = self.rng.choice(LAST_NAMES)
        if female:
            last_en, last_az = last_en + "a", last_az + "a"
        slug = f"{first_en}-{last_en}-{slug_hint}".lower()
        self.persons.append(_iri("person", slug))
        self._thing(
            "people-and-posts",
            _iri("person", slug),
            source,
            ["foaf:Person"],
            f"{first_en} {last_en}",
            f"{first_az} {last_az}",
            [("org:holds", [holds] if holds else [])],
        )
        return _ref("person", slug)

    def _membership(
        self,
        slug: str,
        member: str,
        organization: str,
        role: str,
        english: str,
        azerbaijani: str,
        source: _Source,
    ) -> None:
        self._thing(
            "memberships",
            _iri("membership", slug),
            source,
            ["org:Membership"],
            english,
            azerbaijani,
            [
                ("org:member", [member]),
                ("org:organization", [organization]),
                ("org:role", [_ref("role", role)]),
            ],
        )

    def _institution(self) -> None:
        rng = self.rng
        source = self.sources[-1]
        name = self._name()
        key = name.lower()
        en, az = f"the Ombudsman of {name}", f"{name} Ombudsmanının"
        association, association_name = self.associations[-1]
        association_ref = _ref("organization", association)
        slug = f"{key}-ombudsman"
        org_ref = _ref("organization", slug)
        office = f"{key}-ombudsman-regional-office"
        office_ref = _ref("organization", office)
        country = self._country_ref()
        self.institutions.append(_iri("organization", slug))
        self.institution_names.append(name)
        number = len(self.institutions)

        self._thing(
            "organizations",
            _iri("organization", slug),
            source,
            ["org:FormalOrganization"],
            f"Ombudsman of {name}",
            f"{name} Ombudsmanı",
            [
                ("skos:altLabel", [_text(f"{name[:3].upper()}OMB")]),
                ("schema:areaServed", [country]),
                ("org:resultedFrom", [_ref("event", f"{slug}-founding")]),
            ],
        )
        self._founding(
            f"{slug}-founding", en, az, source, shared=number % SHARED_FOUNDING_EVERY == 0
        )
        for suffix, english, azerbaijani in ORGANS:
            self._unit(
                f"{slug}-{suffix}", org_ref, f"{english} of {en}", f"{az} {azerbaijani}", source
            )
        self._thing(
            "organizations",
            _iri("organization", office),
            source,
            ["org:FormalOrganization", "org:OrganizationalUnit"],
            f"Regional Office of {en}",
            f"{az} Regional Ofisi",
            [("org:unitOf", [org_ref]), ("schema:areaServed", [country])],
        )
        for suffix, english, azerbaijani in OFFICE_ORGANS:
            self._unit(
                f"{office}-{suffix}",
                office_ref,
                f"{english} of the Regional Office of {en}",
                f"{az} Regional Ofisinin {azerbaijani}",
                source,
            )

        head_post = _ref("post", slug)
        office_post = _ref("post", f"{office}-head")
        people = [
            self._person(f"{key}-{i}", source, holds=[head_post, office_post][i] if i < 2 else None)
            for i in range(5)
        ]
        self._thing(
            "people-and-posts",
            _iri("post", slug),
            source,
            ["org:Post"],
            f"Ombudsman of {name}",
            f"{name} Ombudsmanı vəzifəsi",
            [
                ("org:postIn", [org_ref]),
                ("org:heldBy", [people[0]]),
                ("org:role", [_ref("role", "president")]),
            ],
        )
        self._thing(
            "people-and-posts",
            _iri("post", f"{office}-head"),
            source,
            ["org:Post"],
            f"Head of the Regional Office of {en}",
            f"{az} Regional Ofisinin rəhbəri",
            [("org:postIn", [office_ref]), ("org:heldBy", [people[1]])],
        )

        a_en, a_az = f"the {association_name} Association", f"{association_name} Assosiasiyası"
        self._membership(
            f"{slug}-in-{association}",
            org_ref,
            association_ref,
            "member",
            f"Membership of {en} in {a_en}",
            f"{az} {a_az}na üzvlüyü",
            source,
        )
        self._membership(
            f"{slug}-on-{association}-board",
            org_ref,
            _ref("unit", f"{association}-board-of-directors"),
            "organ-representation",
            f"Representation of {en} on the Board of {a_en}",
            f"{az} {a_az}nın İdarə Heyətində təmsil olunması",
            source,
        )
        seats = [
            ("board-of-directors", "board-member", "Board of Directors", "İdarə Heyətində"),
            ("general-assembly", "member", "General Assembly", "Baş Assambleyasında"),
            (
                "sub-committee-on-womens-rights",
                "chair",
                "Sub-Committee on Women's Rights",
                "Qadın Hüquqları üzrə Alt Komitəsində",
            ),
            ("board-of-directors", "adviser", "Board of Directors", "İdarə Heyətində"),
        ]
        for i, (organ, role, organ_en, organ_az) in enumerate(seats):
            person = people[i + 1]
            self._membership(
                f"{slug}-{organ}-seat-{i + 1}",
                person,
                _ref("unit", f"{slug}-{organ}"),
                role,
                f"Seat {i + 1} on the {organ_en} of {en}",
                f"{az} {organ_az} {i + 1} saylı yer",
                source,
            )

        general_assembly = f"{slug}-general-assembly-{rng.randint(2000, 2024)}"
        contradicted = number % CONTRADICTED_MEETING_EVERY == 0
        date = self._event(
            general_assembly,
            "okg:GeneralAssembly",
            f"General Assembly meeting of {en}",
            f"{az} Baş Assambleya iclası",
            source,
            [
                ("okg:sessionOf", [_ref("unit", f"{slug}-general-assembly")]),
                ("okg:initiatedBy", [head_post]),
                ("okg:representedCountry", sorted({self._country_ref() for _ in range(2)})),
            ],
            shared=contradicted,
        )
        if contradicted:
            other = self._other_source()
            year = int(_lexical(date)[:4])
            other_date = f'"{year + 1 if year < 2024 else year - 1}"^^xsd:gYear'
            iri = _iri("event", general_assembly)
            self._stated(
                "events",
                iri,
                other,
                [("a", ["okg:GeneralAssembly"]), ("schema:startDate", [other_date])],
            )
            self._disagreement(
                f"{general_assembly}-date",
                iri,
                "schema:startDate",
                "okg:substance",
                f"When the General Assembly meeting of {en} took place",
                f"{az} Baş Assambleya iclasının nə vaxt keçirildiyi",
                [(date, source), (other_date, other)],
            )
        self._event(
            f"{slug}-online-training-seminar",
            "okg:TrainingSeminar",
            f"Online training seminar of {en}",
            f"{az} onlayn təlim seminarı",
            source,
            [("schema:organizer", [org_ref, association_ref])],
        )
        self._event(
            f"{slug}-board-meetings",
            "okg:MeetingSeries",
            f"Meetings of the Board of Directors of {en}",
            f"{az} İdarə Heyətinin iclasları",
            source,
            [("schema:attendee", [people[0]])],
        )
        self._event(
            f"{slug}-fact-finding-missions",
            "okg:FactFindingMissionSeries",
            f"Fact-finding missions of {en}",
            f"{az} faktaraşdırıcı missiyaları",
            source,
            [("okg:ledBy", [head_post])],
        )

    def _event(
        self,
        slug: str,
        cls: str,
        english: str,
        azerbaijani: str,
        source: _Source,
        extra: Statements,
        *,
        shared: bool = False,
    ) -> str:
        """An event as `source` states it; returns its start date (a literal)."""
        self.events.append(_iri("event", slug))
        date = self._date()
        self._thing(
            "events",
            _iri("event", slug),
            source,
            [cls],
            english,
            azerbaijani,
            [("schema:startDate", [date]), ("schema:location", [self._country_ref()]), *extra],
            [
                (
                    "skos:editorialNote",
                    [_text("Synthetic: two sources date this meeting differently.", "en")],
                )
            ]
            if shared
            else [],
            shared=shared,
        )
        return date

    def _extra_general_assembly(self) -> None:
        """Top-up: one more General Assembly meeting of an association (7 triples), stated by
        the last source."""
        self.extra_events += 1
        slug, name = self.associations[self.extra_events % len(self.associations)]
        self._event(
            f"{slug}-general-assembly-meeting-{self.extra_events}",
            "okg:GeneralAssembly",
            f"General Assembly meeting {self.extra_events} of the {name} Association",
            f"{name} Assosiasiyasının {self.extra_events} saylı Baş Assambleya iclası",
            self.sources[-1],
            [("okg:sessionOf", [_ref("unit", f"{slug}-general-assembly")])],
        )


if __name__ == "__main__":
    sys.exit(main())
