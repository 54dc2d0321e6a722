/*
 * Is a Turtle file an OWL 2 DL ontology? Issue 2 item 2: the ontology "must load cleanly in an
 * OWL tool (valid OWL 2 DL)"; tests/test_owl_dl.py runs this on dist/ontology.ttl and on the
 * dump that holds the data and the ontology in one graph.
 *
 * Usage: java -cp <OWL API jars>:<dir> CheckOwl2Dl [--allow-literal-datatype IRI]... FILE.ttl...
 * Checks each file on its own (one JVM start for many files: the JVM start is most of the time)
 * and prints one line per problem, each starting with "FILE: ", then the summary
 * "FILE: T triples, A axioms, P problems" (T as the parser counted them, to compare with another
 * parser's count: a triple the parser skipped without a word would show there).
 * Exits 0 (no problems), 1 (problems) or 2 (a file unreadable, or bad usage).
 *
 * The OWL API is lenient by default, and each leniency would hide a problem from the profile
 * checker, so each is switched off:
 *   - it tries every parser it knows until one succeeds: here only its Turtle parser is allowed;
 *   - it guesses the kind of an undeclared term from how it is used: strict mode guesses nothing,
 *     and any guess still recorded is reported;
 *   - it drops the triples it cannot map to axioms: each one is reported ("unparsed triple");
 *   - it silently repairs illegal punnings (a property declared both object and datatype
 *     property): repair is off, so OWL2DLProfile sees them.
 * Then OWL2DLProfile reports each violation of the OWL 2 Structural Specification's conditions
 * for OWL 2 DL: declarations and typing (§5.8), reserved vocabulary (§2.4), the datatype map (§4)
 * and the global restrictions (§11).
 *
 * --allow-literal-datatype IRI accepts data property assertions whose literal has a datatype
 * outside the OWL 2 datatype map (OWL 2 Structural Specification §4 and §2.4: such a datatype is
 * neither built in nor, being reserved vocabulary, declarable). It exists for the one thing SPEC §2
 * requires and OWL 2 DL cannot take: xsd:gYear and xsd:gYearMonth dates (docs/model.md). Only
 * the violations about that literal's datatype in an assertion are accepted (never one in an
 * ontology axiom such as a range), and each is still printed, marked "allowed".
 */

import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.TurtleDocumentFormat;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.io.OWLOntologyLoaderMetaData;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLDataPropertyAssertionAxiom;
import org.semanticweb.owlapi.model.OWLDatatype;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLLiteral;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyCreationException;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.rdf.turtle.parser.TurtleOntologyParserFactory;

public final class CheckOwl2Dl {

    private static final int CLEAN = 0;
    private static final int PROBLEMS = 1;
    private static final int UNREADABLE = 2;

    private CheckOwl2Dl() {}

    public static void main(String[] args) {
        // Strict parsing logs a warning for each implicit type it declines to add, although
        // every term is declared; errors are still logged (slf4j-simple, when on the classpath).
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        Set<String> allowedDatatypes = new TreeSet<>();
        List<File> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--allow-literal-datatype") && i + 1 < args.length) {
                allowedDatatypes.add(args[++i]);
            } else if (args[i].startsWith("--")) {
                files.clear();
                break;
            } else {
                files.add(new File(args[i]));
            }
        }
        if (files.isEmpty()) {
            System.err.println("usage: CheckOwl2Dl [--allow-literal-datatype IRI]... FILE.ttl...");
            System.exit(UNREADABLE);
        }
        int status = CLEAN;
        for (File file : files) {
            status = Math.max(status, check(file, allowedDatatypes));
        }
        System.exit(status);
    }

    /**
     * Load FILE strictly, print every parse problem and DL violation, return the exit code. Each
     * file gets its own manager, so that no declaration of one counts for another.
     */
    static int check(File file, Set<String> allowedDatatypes) {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        manager.setOntologyParsers(Collections.singleton(new TurtleOntologyParserFactory()));
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
            .setStrict(true)
            .setRepairIllegalPunnings(false)
            .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.THROW_EXCEPTION)
            .setReportStackTraces(false);
        OWLOntology ontology;
        try {
            ontology = manager.loadOntologyFromOntologyDocument(
                new FileDocumentSource(file, new TurtleDocumentFormat()), config);
        } catch (OWLOntologyCreationException e) {
            String message = String.valueOf(e.getMessage()).replace("\n", "\n    ");
            System.out.println(file + ": unparsable: " + message);
            return UNREADABLE;
        }
        List<String> problems = new ArrayList<>(parseProblems(ontology));
        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        for (OWLProfileViolation violation : report.getViolations()) {
            String line = violation.getClass().getSimpleName() + ": " + violation;
            if (isAllowed(violation, allowedDatatypes)) {
                System.out.println(file + ": allowed: " + line);
            } else {
                problems.add("violation: " + line);
            }
        }
        problems.forEach(problem -> System.out.println(file + ": " + problem));
        int triples = ontology.getFormat().getOntologyLoaderMetaData()
            .map(OWLOntologyLoaderMetaData::getTripleCount).orElse(0);
        System.out.println(file + ": " + triples + " triples, " + ontology.getAxiomCount()
            + " axioms, " + problems.size() + " problems");
        return problems.isEmpty() ? CLEAN : PROBLEMS;
    }

    /** What the parser could not turn into OWL: a wrong format, guessed kinds, dropped triples. */
    private static List<String> parseProblems(OWLOntology ontology) {
        List<String> problems = new ArrayList<>();
        OWLDocumentFormat format = ontology.getFormat();
        if (!(format instanceof TurtleDocumentFormat)) {
            problems.add("parse: not read as Turtle but as " + format);
            return problems;
        }
        OWLOntologyLoaderMetaData meta = format.getOntologyLoaderMetaData().orElse(null);
        if (meta == null) {
            problems.add("parse: the Turtle parser left no metadata to check");
            return problems;
        }
        meta.getGuessedDeclarations().entries().forEach(guess -> problems.add(
            "guessed declaration: " + guess.getKey() + " as " + guess.getValue().getSimpleName()));
        meta.getUnparsedTriples().map(triple -> "unparsed triple: " + triple)
            .sorted().forEach(problems::add);
        return problems;
    }

    /** A violation about an allowed datatype of a literal in a data property assertion. */
    private static boolean isAllowed(OWLProfileViolation violation, Set<String> allowedDatatypes) {
        if (!(violation.getAxiom() instanceof OWLDataPropertyAssertionAxiom)) {
            return false;
        }
        OWLLiteral literal = ((OWLDataPropertyAssertionAxiom) violation.getAxiom()).getObject();
        Object expression = violation.getExpression();
        OWLDatatype datatype = literal.getDatatype();
        boolean aboutLiteral = expression.equals(literal) || expression.equals(datatype);
        return aboutLiteral && allowedDatatypes.contains(datatype.getIRI().toString());
    }
}
