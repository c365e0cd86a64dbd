package io.flowpay.script;

import io.flowpay.flow.FlowNames;
import io.flowpay.stripe.StripeResources;
import io.flowpay.stripe.StripeResources.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.nashorn.api.tree.CompilationUnitTree;
import org.openjdk.nashorn.api.tree.ExpressionTree;
import org.openjdk.nashorn.api.tree.FunctionCallTree;
import org.openjdk.nashorn.api.tree.IdentifierTree;
import org.openjdk.nashorn.api.tree.LiteralTree;
import org.openjdk.nashorn.api.tree.MemberSelectTree;
import org.openjdk.nashorn.api.tree.ObjectLiteralTree;
import org.openjdk.nashorn.api.tree.Parser;
import org.openjdk.nashorn.api.tree.PropertyTree;
import org.openjdk.nashorn.api.tree.SimpleTreeVisitorES6;

/**
 * What {@code flowpay check} says about the Stripe calls in flow files, read with Nashorn's parser
 * (nothing runs): a call {@code stripe.<resource>.<verb>(...)}, {@code stripe.request(...)} or
 * {@code stripe.newX()...create(...)} whose response or error flow has no file, and a resource,
 * verb or builder Flowpay does not know. The flows a call answers to are its defaults, or the
 * {@code onSuccess}/{@code onError} options when they are string literals in an object literal
 * ({@code {onSuccess: 'paid'}}, or {@code .option('onSuccess', 'paid')} on a builder); a call whose
 * options are computed is not checked. A file that does not parse gives no warnings here (its syntax
 * error is a problem of {@link FlowEngine#check()}).
 */
public final class CallSites {

  /** One thing {@code flowpay check} warns about; {@code flows/main.js:3: warning: ...}. */
  public record Warning(Path file, int line, String message) {
    @Override
    public String toString() {
      return file + ":" + line + ": warning: " + message;
    }
  }

  private static final String[] PARSER_OPTIONS = {"--language=es6", "--no-syntax-extensions"};

  private final FlowFiles files;
  private final StripeResources resources;
  private final Parser parser = Parser.create(PARSER_OPTIONS);

  public CallSites(Path flowsDir, StripeResources resources) {
    this.files = new FlowFiles(flowsDir);
    this.resources = resources;
  }

  /** The warnings of every {@code *.js} under the flows directory, by file and line. */
  public List<Warning> check() {
    List<Warning> warnings = new ArrayList<>();
    try {
      for (Path file : files.list()) {
        warnings.addAll(check(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + files.dir(), e);
    }
    return warnings;
  }

  /** The warnings of one flow file. */
  public List<Warning> check(Path file) throws IOException {
    List<String> syntaxErrors = new ArrayList<>();
    CompilationUnitTree unit = parser.parse(file.toString(), Files.readString(file),
        diagnostic -> syntaxErrors.add(diagnostic.getMessage()));
    if (unit == null || !syntaxErrors.isEmpty()) {
      return List.of();
    }
    Visitor visitor = new Visitor(file, unit);
    unit.accept(visitor, null);
    return visitor.warnings;
  }

  /** Walks every call of one file. */
  private final class Visitor extends SimpleTreeVisitorES6<Void, Void> {

    private final Path file;
    private final CompilationUnitTree unit;
    private final List<Warning> warnings = new ArrayList<>();

    Visitor(Path file, CompilationUnitTree unit) {
      this.file = file;
      this.unit = unit;
    }

    @Override
    public Void visitFunctionCall(FunctionCallTree call, Void nothing) {
      List<String> path = stripePath(call.getFunctionSelect());
      if (path != null) {
        stripeCall(call, path);
      } else if (call.getFunctionSelect() instanceof MemberSelectTree select && select.getIdentifier().equals("create")) {
        builderCreate(call, select.getExpression());
      }
      return super.visitFunctionCall(call, nothing);
    }

    private void stripeCall(FunctionCallTree call, List<String> path) {
      String name = path.get(0);
      if (path.size() == 1) {
        if (name.equals("request")) {
          answers(call, "stripe.request", "new_request_response", "new_request_error", options(call, 3));
        } else if (resources.builder(name).isEmpty()) {
          warn(call, "stripe." + name + " is not a Stripe call Flowpay knows: use stripe.<resource>.<verb>(...),"
              + " a builder (" + builderNames() + ") or stripe.request(method, path, params)");
        }
        return;
      }
      String resource = String.join(".", path.subList(0, path.size() - 1));
      String verb = path.get(path.size() - 1);
      Endpoint endpoint = resources.find(resource, verb).orElse(null);
      if (endpoint != null) {
        answers(call, endpoint.display(), endpoint.defaultFlow(true), endpoint.defaultFlow(false),
            options(call, endpoint.needsId() ? 2 : 1));
      } else if (resources.hasResource(resource)) {
        warn(call, "stripe." + resource + "." + verb + " is not a verb Flowpay knows (stripe." + resource + " has "
            + String.join(", ", resources.verbs(resource)) + "); call other endpoints with stripe.request(method, path,"
            + " params)");
      } else {
        warn(call, "stripe." + resource + " is not a Stripe resource Flowpay knows (known: "
            + String.join(", ", resources.resources()) + "); call others with stripe.request(method, path, params)");
      }
    }

    /** {@code stripe.newPaymentIntent().amount(1).option('onSuccess', 'x').create({...})}. */
    private void builderCreate(FunctionCallTree create, ExpressionTree receiver) {
      Map<String, ExpressionTree> options = new LinkedHashMap<>();
      boolean known = true;
      ExpressionTree at = receiver;
      while (at instanceof FunctionCallTree call && call.getFunctionSelect() instanceof MemberSelectTree select) {
        if (select.getExpression() instanceof IdentifierTree root && root.getName().equals("stripe")) {
          var builder = resources.builder(select.getIdentifier());
          Map<String, ExpressionTree> last = options(create, 0);
          if (builder.isPresent() && known && last != null) {
            options.putAll(last);
            Endpoint endpoint = builder.get().endpoint();
            answers(create, "stripe." + builder.get().name() + "()...create", endpoint.defaultFlow(true),
                endpoint.defaultFlow(false), options);
          }
          return;
        }
        if (select.getIdentifier().equals("option")) {
          known &= option(call, options);
        }
        at = select.getExpression();
      }
    }

    /** Records {@code .option('onSuccess', 'x')}; false when the option's name is not a string literal. */
    private boolean option(FunctionCallTree call, Map<String, ExpressionTree> options) {
      List<? extends ExpressionTree> args = call.getArguments();
      String key = args.isEmpty() ? null : literal(args.get(0));
      if (key == null) {
        return false;
      }
      // The chain is walked from its end: the option set last wins, so keep the first one seen.
      options.putIfAbsent(key, args.size() > 1 ? args.get(1) : null);
      return true;
    }

    private void answers(FunctionCallTree call, String what, String success, String error,
        Map<String, ExpressionTree> options) {
      if (options != null) {
        answer(call, what, "onSuccess", success, options);
        answer(call, what, "onError", error, options);
      }
    }

    private void answer(FunctionCallTree call, String what, String option, String fallback,
        Map<String, ExpressionTree> options) {
      boolean given = options.containsKey(option);
      String flow = given ? literal(options.get(option)) : fallback;
      String runs = option.equals("onSuccess") ? "its answer runs" : "its error runs";
      if (flow == null) {
        return;
      }
      if (!FlowNames.isValid(flow)) {
        warn(call, what + ": " + option + " '" + flow + "' is not a flow name: use snake_case like"
            + " 'new_create_payment_intent_response' (letters, digits, '_', and '/' for a sub-folder)");
      } else if (!Files.isRegularFile(files.path(flow))) {
        warn(call, what + ": " + runs + " flow '" + flow + "', but " + files.display(flow) + " does not exist: "
            + (given ? "create it, or fix the " + option + " option" : "create it, or name an existing flow with {"
                + option + ": '<flow>'}"));
      }
    }

    /**
     * The options argument at {@code index} as name → value; empty when there is none; null when it
     * is not an object literal with plain keys (computed: cannot be checked).
     */
    private Map<String, ExpressionTree> options(FunctionCallTree call, int index) {
      List<? extends ExpressionTree> args = call.getArguments();
      Map<String, ExpressionTree> options = new LinkedHashMap<>();
      if (args.size() <= index || args.get(index) instanceof LiteralTree literal && literal.getValue() == null) {
        return options;
      }
      if (!(args.get(index) instanceof ObjectLiteralTree object)) {
        return null;
      }
      for (PropertyTree property : object.getProperties()) {
        String key = property.isComputed() ? null : keyName(property.getKey());
        if (key == null) {
          return null;
        }
        options.put(key, property.getValue());
      }
      return options;
    }

    private void warn(FunctionCallTree call, String message) {
      int line = (int) unit.getLineMap().getLineNumber(call.getStartPosition());
      warnings.add(new Warning(file, line, message));
    }
  }

  /** {@code [checkout, sessions, create]} for {@code stripe.checkout.sessions.create}; null for other callees. */
  private static List<String> stripePath(ExpressionTree callee) {
    List<String> path = new ArrayList<>();
    ExpressionTree at = callee;
    while (at instanceof MemberSelectTree select) {
      path.add(0, select.getIdentifier());
      at = select.getExpression();
    }
    return at instanceof IdentifierTree root && root.getName().equals("stripe") && !path.isEmpty() ? path : null;
  }

  private static String keyName(ExpressionTree key) {
    if (key instanceof IdentifierTree identifier) {
      return identifier.getName();
    }
    return literal(key);
  }

  /** The value of a string literal; null for anything else. */
  private static String literal(ExpressionTree expression) {
    return expression instanceof LiteralTree literal && literal.getValue() instanceof String text ? text : null;
  }

  private String builderNames() {
    return String.join(", ", resources.builders().stream().map(builder -> "stripe." + builder.name() + "()").toList());
  }
}
