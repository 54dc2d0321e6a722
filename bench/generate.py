"""Write a seeded synthetic data directory in the graph's shape (docs/model.md) for benchmarks.

`python bench/generate.py --triples N --out DIR [--seed S]` writes one Turtle file per topic,
like `data/`, holding N triples (± a few), that passes `shapes/okg-shapes.ttl` and so builds with
`ombudsman-kg build --data DIR --dist OUT`. It also writes `DIR/bench-manifest.json` (ignored by
the build, which reads only `*.ttl`): the counts and the IRIs and words the query mix of
`bench/run.py` is parameterized with.

The data grows by one "institution bundle" at a time (an ombudsman institution with its source,
founding, organs, regional office, people, posts, memberships and events; about 165 triples),
grouped under associations of ombudsmen, and is topped up to N with extra General Assembly
meetings. Nesting for `org:unitOf*`: the shapes require `org:unitOf` to point at an
`org:FormalOrganization`, so the middle link of each chain is a regional office typed both
`org:FormalOrganization` and `org:OrganizationalUnit` (unit -> regional office -> institution).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

B = "https://w3id.org/ombudsman-kg/id/"
PREFIXES = {
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "okg": "https://w3id.org/ombudsman-kg/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
COLUMN = 22
INSTITUTIONS_PER_ASSOCIATION = 40
MANIFEST = "bench-manifest.json"
SAMPLES = 200
PAGE_POOL = 15_000  # distinct things for pages no cache has seen (run.py's doc-*-cold items)
_SUBJECTS: set[str] = set()  # every subject written, so that no IRI is described twice

# (slug, English, Azerbaijani, alpha-2, alpha-3, numeric): ISO 3166-1 as published.
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
    counts = generate(args.triples, args.out, seed=args.seed)
    total = sum(counts.values())
    print(
        f"wrote {total} triples to {args.out} ({', '.join(f'{k} {v}' for k, v in counts.items())})",
        file=sys.stderr,
    )
    return 0


def generate(target: int, out: Path, *, seed: int = 1) -> dict[str, int]:
    """Write the data directory; returns the triples per file (their sum is within a few of
    `target`)."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.ttl"):
        old.unlink()
    _SUBJECTS.clear()
    graph = _Generator(target, random.Random(seed))
    graph.run()
    counts = {}
    for name, turtle in graph.files.items():
        (out / f"{name}.ttl").write_text(turtle.text(seed), encoding="utf-8")
        counts[name] = turtle.triples
    manifest = {
        "seed": seed,
        "target": target,
        "triples": sum(counts.values()),
        "files": counts,
        **graph.samples(),
    }
    (out / MANIFEST).write_text(
        json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return counts


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


@dataclass
class _Turtle:
    """One topic file: blocks in house style, counting the triples written."""

    topic: str
    blocks: list[str] = field(default_factory=list)
    triples: int = 0

    def add(self, iri: str, statements: Iterable[tuple[str, list[str]]]) -> None:
        if iri in _SUBJECTS:
            raise AssertionError(f"generated twice: <{iri}>")
        _SUBJECTS.add(iri)
        lines = [f"<{iri}>"]
        statements = [(p, objs) for p, objs in statements if objs]
        for index, (predicate, objects) in enumerate(statements):
            end = " ." if index == len(statements) - 1 else " ;"
            for position, obj in enumerate(objects):
                head = predicate.ljust(COLUMN) if position == 0 else " " * COLUMN
                tail = end if position == len(objects) - 1 else " ,"
                lines.append(f"    {head}{obj}{tail}")
            self.triples += len(objects)
        self.blocks.append("\n".join(lines) + "\n")

    def text(self, seed: int) -> str:
        width = max(len(p) for p in PREFIXES) + 2
        head = [f"@prefix {(p + ':').ljust(width)}<{ns}> ." for p, ns in sorted(PREFIXES.items())]
        comment = (
            f"# Synthetic benchmark data ({self.topic}), written by bench/generate.py with "
            f"seed {seed}.\n# Not facts: names, dates and links are invented.\n"
        )
        return "\n".join(head) + "\n\n" + comment + "\n" + "\n".join(self.blocks)


def _iri(kind: str, slug: str) -> str:
    return f"{B}{kind}/{slug}"


def _ref(kind: str, slug: str) -> str:
    return f"<{_iri(kind, slug)}>"


def _text(value: str, language: str | None = None) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{language}' if language else f'"{escaped}"'


def _labels(english: str, azerbaijani: str) -> tuple[str, list[str]]:
    return ("rdfs:label", [_text(english, "en"), _text(azerbaijani, "az")])


class _Generator:
    """Builds the topic files; every thing it links to, it also describes."""

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
        self.files = {t: _Turtle(t) for t in topics}
        self.countries = COUNTRIES[: max(6, min(len(COUNTRIES), target // 2000))]
        self.registry = _ref("source", "bench-registry")
        self.associations: list[tuple[str, str]] = []  # (slug, name)
        self.institutions: list[str] = []
        self.institution_names: list[str] = []
        self.persons: list[str] = []
        self.units: list[str] = []
        self.events: list[str] = []
        self.memberships_of: dict[str, int] = {}
        self.names_used = 0
        self.extra_events = 0

    @property
    def total(self) -> int:
        return sum(f.triples for f in self.files.values())

    def run(self) -> None:
        self._registry()
        for role in ROLES:
            self._role(*role)
        for country in self.countries:
            self._country(*country)
        bundle = 0
        while True:
            if len(self.institutions) % INSTITUTIONS_PER_ASSOCIATION == 0:
                self._association()
            before = self.total
            self._institution()
            bundle = max(bundle, self.total - before)
            if self.total + bundle + 60 > self.target:
                break
        while self.total < self.target - 5:
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
            "search_words": pick(words),
            "page_pool": rng.sample(everything, min(len(everything), PAGE_POOL)),
            "institution_count": len(self.institutions),
            "extra_events": self.extra_events,
        }

    # ---- fixed parts ---------------------------------------------------------------------

    def _registry(self) -> None:
        self.files["sources"].add(
            _iri("source", "bench-registry"),
            [
                ("a", ["schema:WebPage"]),
                _labels("Synthetic benchmark registry", "Sintetik sınaq reyestri"),
                ("dct:title", [_text("Synthetic benchmark registry (bench/generate.py)", "en")]),
                ("schema:url", ["<https://example.org/ombudsman-kg/bench/registry>"]),
                ("prov:wasDerivedFrom", [self.registry]),
            ],
        )

    def _role(self, slug: str, english: str, azerbaijani: str) -> None:
        self.files["roles"].add(
            _iri("role", slug),
            [
                ("a", ["org:Role"]),
                _labels(english, azerbaijani),
                ("prov:wasDerivedFrom", [self.registry]),
            ],
        )

    def _country(
        self, slug: str, english: str, azerbaijani: str, a2: str, a3: str, num: str
    ) -> None:
        self.files["places"].add(
            _iri("place", slug),
            [
                ("a", ["schema:Country"]),
                _labels(english, azerbaijani),
                ("okg:iso3166Alpha2", [_text(a2)]),
                ("okg:iso3166Alpha3", [_text(a3)]),
                ("okg:iso3166Numeric", [_text(num)]),
                ("prov:wasDerivedFrom", [self.registry]),
            ],
        )

    # ---- growing parts -------------------------------------------------------------------

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
        name = self._name()
        slug = f"{name.lower()}-association-of-ombudsmen"
        self.associations.append((slug, name))
        founding = f"{slug}-founding"
        purposes = [f"{slug}-exchange-of-experience", f"{slug}-joint-activities"]
        self.files["organizations"].add(
            _iri("organization", slug),
            [
                ("a", ["org:FormalOrganization"]),
                _labels(f"{name} Association of Ombudsmen", f"{name} Ombudsmanlar Assosiasiyası"),
                ("skos:altLabel", [_text(f"{name[:3].upper()}OA")]),
                ("org:purpose", [_ref("purpose", p) for p in purposes]),
                ("org:resultedFrom", [_ref("event", founding)]),
                ("prov:wasDerivedFrom", [self.registry]),
            ],
        )
        self._founding(
            founding,
            f"the {name} Association of Ombudsmen",
            f"{name} Ombudsmanlar Assosiasiyasının",
            self.registry,
        )
        self.files["objectives"].add(
            _iri("purpose", purposes[0]),
            [
                ("a", ["okg:Objective"]),
                _labels(
                    f"Exchange of experience between the members of the {name} Association",
                    f"{name} Assosiasiyasının üzvləri arasında təcrübə mübadiləsi",
                ),
                ("prov:wasDerivedFrom", [self.registry]),
            ],
        )
        self.files["objectives"].add(
            _iri("purpose", purposes[1]),
            [
                ("a", ["okg:Objective"]),
                _labels(
                    f"Joint activities of the {name} Association",
                    f"{name} Assosiasiyasının birgə fəaliyyətləri",
                ),
                ("prov:wasDerivedFrom", [self.registry]),
            ],
        )
        for suffix, english, azerbaijani in ORGANS:
            self._unit(
                f"{slug}-{suffix}",
                _ref("organization", slug),
                f"{english} of the {name} Association of Ombudsmen",
                f"{name} Ombudsmanlar Assosiasiyasının {azerbaijani}",
                self.registry,
            )

    def _founding(self, slug: str, english_of: str, azerbaijani_of: str, source: str) -> None:
        self.events.append(_iri("event", slug))
        self.files["events"].add(
            _iri("event", slug),
            [
                ("a", ["okg:Founding"]),
                _labels(f"Founding of {english_of}", f"{azerbaijani_of} təsisi"),
                ("schema:startDate", [f'"{self.rng.randint(1990, 2015)}"^^xsd:gYear']),
                ("schema:location", [self._country_ref()]),
                ("prov:wasDerivedFrom", [source]),
            ],
        )

    def _unit(self, slug: str, parent: str, english: str, azerbaijani: str, source: str) -> None:
        self.units.append(_iri("unit", slug))
        self.files["organs"].add(
            _iri("unit", slug),
            [
                ("a", ["org:OrganizationalUnit"]),
                _labels(english, azerbaijani),
                ("org:unitOf", [parent]),
                ("prov:wasDerivedFrom", [source]),
            ],
        )

    def _person(self, slug_hint: str, source: str, holds: str | None = None) -> str:
        first_en, first_az, female = self.rng.choice(FIRST_NAMES)
        last_en, last_az = self.rng.choice(LAST_NAMES)
        if female:
            last_en, last_az = last_en + "a", last_az + "a"
        slug = f"{first_en}-{last_en}-{slug_hint}".lower()
        self.persons.append(_iri("person", slug))
        self.files["people-and-posts"].add(
            _iri("person", slug),
            [
                ("a", ["foaf:Person"]),
                _labels(f"{first_en} {last_en}", f"{first_az} {last_az}"),
                ("org:holds", [holds] if holds else []),
                ("prov:wasDerivedFrom", [source]),
            ],
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
        source: str,
    ) -> None:
        self.files["memberships"].add(
            _iri("membership", slug),
            [
                ("a", ["org:Membership"]),
                _labels(english, azerbaijani),
                ("org:member", [member]),
                ("org:organization", [organization]),
                ("org:role", [_ref("role", role)]),
                ("prov:wasDerivedFrom", [source]),
            ],
        )

    def _institution(self) -> None:
        rng = self.rng
        name = self._name()
        key = name.lower()
        en, az = f"the Ombudsman of {name}", f"{name} Ombudsmanının"
        association, association_name = self.associations[-1]
        association_ref = _ref("organization", association)
        source = _ref("source", f"{key}-website")
        slug = f"{key}-ombudsman"
        org_ref = _ref("organization", slug)
        office = f"{key}-ombudsman-regional-office"
        office_ref = _ref("organization", office)
        country = self._country_ref()
        self.institutions.append(_iri("organization", slug))
        self.institution_names.append(name)

        self.files["sources"].add(
            _iri("source", f"{key}-website"),
            [
                ("a", ["schema:WebPage"]),
                _labels(f"Website of {en}", f"{name} Ombudsmanının veb-saytı"),
                (
                    "dct:title",
                    [_text(f"About {en}", "en"), _text(f"{name} Ombudsmanı haqqında", "az")],
                ),
                ("schema:url", [f"<https://{key}.example.org/about>"]),
                ("schema:inLanguage", [_text("az")]),
                ("prov:wasDerivedFrom", [self.registry]),
            ],
        )
        self.files["organizations"].add(
            _iri("organization", slug),
            [
                ("a", ["org:FormalOrganization"]),
                _labels(f"Ombudsman of {name}", f"{name} Ombudsmanı"),
                ("skos:altLabel", [_text(f"{name[:3].upper()}OMB")]),
                ("schema:areaServed", [country]),
                ("org:resultedFrom", [_ref("event", f"{slug}-founding")]),
                ("prov:wasDerivedFrom", [source]),
            ],
        )
        self._founding(f"{slug}-founding", en, az, source)
        for suffix, english, azerbaijani in ORGANS:
            self._unit(
                f"{slug}-{suffix}", org_ref, f"{english} of {en}", f"{az} {azerbaijani}", source
            )
        self.files["organizations"].add(
            _iri("organization", office),
            [
                ("a", ["org:FormalOrganization", "org:OrganizationalUnit"]),
                _labels(f"Regional Office of {en}", f"{az} Regional Ofisi"),
                ("org:unitOf", [org_ref]),
                ("schema:areaServed", [country]),
                ("prov:wasDerivedFrom", [source]),
            ],
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
        self.files["people-and-posts"].add(
            _iri("post", slug),
            [
                ("a", ["org:Post"]),
                _labels(f"Ombudsman of {name}", f"{name} Ombudsmanı vəzifəsi"),
                ("org:postIn", [org_ref]),
                ("org:heldBy", [people[0]]),
                ("org:role", [_ref("role", "president")]),
                ("prov:wasDerivedFrom", [source]),
            ],
        )
        self.files["people-and-posts"].add(
            _iri("post", f"{office}-head"),
            [
                ("a", ["org:Post"]),
                _labels(f"Head of the Regional Office of {en}", f"{az} Regional Ofisinin rəhbəri"),
                ("org:postIn", [office_ref]),
                ("org:heldBy", [people[1]]),
                ("prov:wasDerivedFrom", [source]),
            ],
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
        self._event(
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
        source: str,
        extra: list[tuple[str, list[str]]],
    ) -> None:
        self.events.append(_iri("event", slug))
        self.files["events"].add(
            _iri("event", slug),
            [
                ("a", [cls]),
                _labels(english, azerbaijani),
                ("schema:startDate", [self._date()]),
                ("schema:location", [self._country_ref()]),
                *extra,
                ("prov:wasDerivedFrom", [source]),
            ],
        )

    def _extra_general_assembly(self) -> None:
        """Top-up: one more General Assembly meeting of an association (7 triples)."""
        self.extra_events += 1
        slug, name = self.associations[self.extra_events % len(self.associations)]
        self._event(
            f"{slug}-general-assembly-meeting-{self.extra_events}",
            "okg:GeneralAssembly",
            f"General Assembly meeting {self.extra_events} of the {name} Association",
            f"{name} Assosiasiyasının {self.extra_events} saylı Baş Assambleya iclası",
            self.registry,
            [("okg:sessionOf", [_ref("unit", f"{slug}-general-assembly")])],
        )


if __name__ == "__main__":
    sys.exit(main())
