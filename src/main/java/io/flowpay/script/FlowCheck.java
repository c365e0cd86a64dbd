package io.flowpay.script;

import io.flowpay.flow.FlowNames;
import io.flowpay.script.FlowFinding.Severity;
import io.flowpay.stripe.StripeEventTypes;
import io.flowpay.stripe.StripeResources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.openjdk.nashorn.api.tree.CompilationUnitTree;
import org.openjdk.nashorn.api.tree.Parser;

/**
 * What {@code flowpay check} finds in flow files, read with Nashorn's parser (nothing runs), and what
 * {@code serve} finds in a flow before it loads it ({@link CompiledFlows}). Errors: a Stripe resource,
 * verb, builder or builder setter Flowpay does not know (each a {@code TypeError} at run time); a
 * {@code flow.dispatch} / {@code flow.after} / {@code onSuccess} / {@code onError} target, given as a
 * string literal, with no flow file; a flow {@code on_<event>} whose event Stripe does not send; an
 * assignment to a name the flow never declared (strict mode throws there). Warnings: a call whose
 * default response or error flow has no file. Each finding says where (file:line:column) and how to
 * fix it, with the closest known name when there is one. A file that does not parse gets no findings
 * here: its syntax error is what compiling it reports ({@link FlowEngine#check()}).
 */
public final class FlowCheck {

  private static final String[] PARSER_OPTIONS = {"--language=es6", "--no-syntax-extensions"};

  /** {@code payment_intent_succeeded} → {@code payment_intent.succeeded}. */
  private static final Map<String, String> EVENTS_BY_FLOW_SUFFIX = StripeEventTypes.all().stream()
      .collect(Collectors.toUnmodifiableMap(type -> StripeEventTypes.flowOf(type).substring(3), Function.identity()));

  private final FlowFiles files;
  private final StripeResources resources;
  private final Parser parser = Parser.create(PARSER_OPTIONS);

  public FlowCheck(Path flowsDir, StripeResources resources) {
    this(new FlowFiles(flowsDir), resources);
  }

  FlowCheck(FlowFiles files, StripeResources resources) {
    this.files = files;
    this.resources = resources;
  }

  /** The findings of every {@code *.js} under the flows directory, by file, line and column. */
  public List<FlowFinding> check() {
    List<FlowFinding> findings = new ArrayList<>();
    try {
      for (Path file : files.list()) {
        findings.addAll(check(file, Files.readString(file)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + files.dir(), e);
    }
    return findings;
  }

  /** The findings of one flow file whose text is {@code source}. */
  List<FlowFinding> check(Path file, String source) {
    CompilationUnitTree unit = parse(file, source);
    if (unit == null) {
      return List.of();
    }
    Findings findings = new Findings(file, unit);
    eventName(file, findings);
    unit.accept(new CallSites(files, resources, findings), null);
    new Assignments(findings).check(unit);
    return findings.sorted();
  }

  private CompilationUnitTree parse(Path file, String source) {
    List<String> syntaxErrors = new ArrayList<>();
    CompilationUnitTree unit;
    synchronized (parser) {
      // The copy LoopGuard reads too: Nashorn's tree drops for (let ...) loops with their bodies.
      unit = parser.parse(file.toString(), LoopGuard.neutral(source), diagnostic -> syntaxErrors.add(diagnostic.getMessage()));
    }
    return unit == null || !syntaxErrors.isEmpty() ? null : unit;
  }

  /** {@code on_payment_intent_succeded.js}: a webhook flow whose event Stripe never sends would never run. */
  private void eventName(Path file, Findings findings) {
    String flow = files.nameOf(file);
    String last = flow.substring(flow.lastIndexOf('/') + 1);
    if (!FlowNames.isValid(flow) || !last.startsWith("on_") || EVENTS_BY_FLOW_SUFFIX.containsKey(last.substring(3))) {
      return;
    }
    String closest = DidYouMean.closest(last.substring(3), EVENTS_BY_FLOW_SUFFIX.keySet());
    String fix = closest == null
        ? "rename the file after a Stripe event type (dots as underscores: payment_intent.succeeded runs"
            + " on_payment_intent_succeeded), or drop the on_ prefix if it is not a webhook flow"
        : "did you mean on_" + closest + " (event " + EVENTS_BY_FLOW_SUFFIX.get(closest) + ")? rename the file";
    findings.add(Severity.ERROR, 0, "flow '" + last + "' is named like a webhook flow (on_<event type>), but no"
        + " Stripe event type is named '" + last.substring(3) + "' (with dots as underscores), so no event would ever run it",
        fix);
  }

  /** Findings of one file as they are made, placed by source position. */
  static final class Findings {

    private final Path file;
    private final CompilationUnitTree unit;
    private final List<FlowFinding> list = new ArrayList<>();

    Findings(Path file, CompilationUnitTree unit) {
      this.file = file;
      this.unit = unit;
    }

    void add(Severity severity, long position, String message, String fix) {
      int line = (int) unit.getLineMap().getLineNumber(position);
      int column = (int) unit.getLineMap().getColumnNumber(position) + 1;
      list.add(new FlowFinding(file, line, column, severity, message, fix));
    }

    List<FlowFinding> sorted() {
      list.sort(Comparator.comparingInt(FlowFinding::line).thenComparingInt(FlowFinding::column));
      return List.copyOf(list);
    }
  }
}
