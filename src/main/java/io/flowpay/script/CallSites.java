package io.flowpay.script;

import io.flowpay.flow.FlowNames;
import io.flowpay.script.FlowFinding.Severity;
import io.flowpay.stripe.StripeResources;
import io.flowpay.stripe.StripeResources.Builder;
import io.flowpay.stripe.StripeResources.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openjdk.nashorn.api.tree.ExpressionTree;
import org.openjdk.nashorn.api.tree.FunctionCallTree;
import org.openjdk.nashorn.api.tree.IdentifierTree;
import org.openjdk.nashorn.api.tree.LiteralTree;
import org.openjdk.nashorn.api.tree.MemberSelectTree;
import org.openjdk.nashorn.api.tree.ObjectLiteralTree;
import org.openjdk.nashorn.api.tree.PropertyTree;
import org.openjdk.nashorn.api.tree.SimpleTreeVisitorES6;
import org.openjdk.nashorn.api.tree.Tree;

/**
 * The calls of one flow file that {@link FlowCheck} looks at: {@code stripe.<resource>.<verb>(...)},
 * {@code stripe.request(...)}, a builder chain {@code stripe.newX().setter(...)...create(...)}, and
 * {@code flow.dispatch(name, ...)} / {@code flow.after(ms, name, ...)}. The flows a Stripe call answers
 * to are its defaults, or its {@code onSuccess}/{@code onError} options when they are string literals in
 * an object literal ({@code {onSuccess: 'paid'}}, or {@code .option('onSuccess', 'paid')} on a builder);
 * options held in a variable or computed are not guessed, and a builder kept in a variable is not followed.
 */
final class CallSites extends SimpleTreeVisitorES6<Void, Void> {

  private static final List<String> FLOW_FUNCTIONS = List.of("dispatch", "after");
  private static final List<String> BUILDER_FUNCTIONS = List.of("param", "option", "create");

  private final FlowFiles files;
  private final StripeResources resources;
  private final FlowCheck.Findings findings;
  private final Map<String, Set<String>> setters = new LinkedHashMap<>();
  private List<String> flowNames;

  CallSites(FlowFiles files, StripeResources resources, FlowCheck.Findings findings) {
    this.files = files;
    this.resources = resources;
    this.findings = findings;
  }

  @Override
  public Void visitFunctionCall(FunctionCallTree call, Void nothing) {
    ExpressionTree callee = call.getFunctionSelect();
    List<String> path = stripePath(callee);
    if (path != null) {
      stripeCall(call, path);
    } else if (callee instanceof MemberSelectTree select) {
      if (select.getExpression() instanceof IdentifierTree root && root.getName().equals("flow")) {
        flowCall(call, select);
      }
      Builder builder = builderOf(select.getExpression());
      if (builder != null) {
        builderCall(call, select, builder);
      }
    }
    return super.visitFunctionCall(call, nothing);
  }

  private void stripeCall(FunctionCallTree call, List<String> path) {
    if (path.size() == 1) {
      stripeFunction(call, path.get(0));
      return;
    }
    String resource = String.join(".", path.subList(0, path.size() - 1));
    String verb = path.get(path.size() - 1);
    Endpoint endpoint = resources.find(resource, verb).orElse(null);
    if (endpoint != null) {
      answers(call, endpoint.display(), endpoint.defaultFlow(true), endpoint.defaultFlow(false),
          options(call, endpoint.needsId() ? 2 : 1));
    } else if (resources.hasResource(resource)) {
      findings.add(Severity.ERROR, nameStart(call.getFunctionSelect()), "stripe." + resource + "." + verb
          + " is not a verb Flowpay knows", DidYouMean.hint(verb, resources.verbs(resource), "stripe." + resource + ".")
          + "stripe." + resource + " has " + String.join(", ", resources.verbs(resource))
          + "; call other endpoints with stripe.request(method, path, params)");
    } else {
      findings.add(Severity.ERROR, resourceStart(call.getFunctionSelect()), "stripe." + resource
          + " is not a Stripe resource Flowpay knows", DidYouMean.hint(resource, resources.resources(), "stripe.")
          + "known: " + String.join(", ", resources.resources()) + "; call others with stripe.request(method, path, params)");
    }
  }

  /** {@code stripe.request(...)}, {@code stripe.newPaymentIntent()}, or a name that is neither. */
  private void stripeFunction(FunctionCallTree call, String name) {
    if (name.equals("request")) {
      answers(call, "stripe.request", "new_request_response", "new_request_error", options(call, 3));
    } else if (resources.hasResource(name)) {
      findings.add(Severity.ERROR, nameStart(call.getFunctionSelect()), "stripe." + name + " is a resource, not a"
          + " call", "call one of its verbs: " + String.join(", ", resources.verbs(name)));
    } else if (resources.builder(name).isEmpty()) {
      List<String> known = new ArrayList<>(resources.builders().stream().map(Builder::name).toList());
      known.add("request");
      findings.add(Severity.ERROR, nameStart(call.getFunctionSelect()), "stripe." + name
          + " is not a Stripe call Flowpay knows", DidYouMean.hint(name, known, "stripe.") + "use stripe.<resource>.<verb>(...),"
          + " a builder (" + builderNames() + ") or stripe.request(method, path, params)");
    }
  }

  /** {@code flow.dispatch('refund', ...)}, {@code flow.after(60000, 'dunning', ...)}. */
  private void flowCall(FunctionCallTree call, MemberSelectTree select) {
    String function = select.getIdentifier();
    int index = FLOW_FUNCTIONS.indexOf(function);
    if (index < 0) {
      return;  // an unknown member: reported by Assignments, with ctx's and log's
    }
    List<? extends ExpressionTree> args = call.getArguments();
    if (args.size() > index && literal(args.get(index)) != null) {
      Map<String, ExpressionTree> options = options(call, index + 2);
      boolean elsewhere = options == null || options.containsKey("worker");
      target(args.get(index), "flow." + function, literal(args.get(index)), elsewhere ? Severity.WARNING : Severity.ERROR,
          elsewhere ? "fix the name, or make sure the processes serving that worker have it" : "fix the name");
    }
  }

  /** A method called on a builder chain: a setter, {@code param}, {@code option} or {@code create}. */
  private void builderCall(FunctionCallTree call, MemberSelectTree select, Builder builder) {
    String method = select.getIdentifier();
    if (method.equals("create")) {
      builderCreate(call, select.getExpression(), builder);
    } else if (!BUILDER_FUNCTIONS.contains(method) && !setters(builder).contains(method)) {
      findings.add(Severity.ERROR, nameStart(select), "stripe." + builder.name() + "()." + method + " is not a setter"
          + " of " + builder.endpoint().display() + "'s params (as stripe-java knows them)",
          DidYouMean.hint(method, setters(builder), ".") + "set other params with .param('name', value)");
    }
  }

  /** {@code stripe.newPaymentIntent().amount(1).option('onSuccess', 'x').create({...})}. */
  private void builderCreate(FunctionCallTree create, ExpressionTree receiver, Builder builder) {
    Map<String, ExpressionTree> options = new LinkedHashMap<>();
    Map<String, ExpressionTree> last = options(create, 0);
    if (last == null) {
      return;
    }
    options.putAll(last);
    for (ExpressionTree at = receiver; at instanceof FunctionCallTree call
        && call.getFunctionSelect() instanceof MemberSelectTree select; at = select.getExpression()) {
      if (select.getIdentifier().equals("option") && !option(call, options)) {
        return;
      }
    }
    Endpoint endpoint = builder.endpoint();
    answers(create, "stripe." + builder.name() + "()...create", endpoint.defaultFlow(true), endpoint.defaultFlow(false),
        options);
  }

  /** Records {@code .option('onSuccess', 'x')}; false when the option's name is not a string literal. */
  private static boolean option(FunctionCallTree call, Map<String, ExpressionTree> options) {
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
    if (options.containsKey(option)) {
      String flow = literal(options.get(option));
      if (flow != null) {
        target(options.get(option), what + ": " + option, flow, "fix the " + option + " option");
      }
    } else if (!files.exists(fallback)) {
      String runs = option.equals("onSuccess") ? "its answer runs" : "its error runs";
      findings.add(Severity.WARNING, call.getStartPosition(), what + ": " + runs + " flow '" + fallback + "', but "
          + files.display(fallback) + " does not exist", "create it, or name an existing flow with {" + option
          + ": '<flow>'}");
    }
  }

  /** A flow named by a string literal must be a flow name and have a file. */
  private void target(ExpressionTree where, String what, String flow, String otherwise) {
    target(where, what, flow, Severity.ERROR, otherwise);
  }

  /**
   * As above; a dispatch to another worker (its {@code worker} option, or options not written out)
   * may run in a process with other flows, so a missing file there is only a warning.
   */
  private void target(ExpressionTree where, String what, String flow, Severity missing, String otherwise) {
    if (!FlowNames.isValid(flow)) {
      findings.add(Severity.ERROR, where.getStartPosition(), what + " '" + flow + "' is not a flow name",
          "use snake_case like 'new_create_payment_intent_response' (letters, digits, '_', and '/' for a sub-folder)");
    } else if (!files.exists(flow)) {
      findings.add(missing, where.getStartPosition(), what + " names flow '" + flow + "', but "
          + files.display(flow) + " does not exist", closestFlow(flow) + "create it, or " + otherwise);
    }
  }

  /**
   * The options argument at {@code index} as name → value; empty when there is none; null when it
   * is not an object literal with plain keys (computed: cannot be checked).
   */
  private static Map<String, ExpressionTree> options(FunctionCallTree call, int index) {
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

  /** The builder a chain starts from ({@code stripe.newCustomer().email(...)...}); null for other receivers. */
  private Builder builderOf(ExpressionTree receiver) {
    for (ExpressionTree at = receiver; at instanceof FunctionCallTree call
        && call.getFunctionSelect() instanceof MemberSelectTree select; at = select.getExpression()) {
      if (select.getExpression() instanceof IdentifierTree root && root.getName().equals("stripe")) {
        return resources.builder(select.getIdentifier()).orElse(null);
      }
      if (select.getIdentifier().equals("create")) {
        return null;
      }
    }
    return null;
  }

  private Set<String> setters(Builder builder) {
    return setters.computeIfAbsent(builder.name(), name -> {
      Set<String> camel = new LinkedHashSet<>();
      for (String param : builder.params()) {
        StringBuilder setter = new StringBuilder();
        for (String part : param.split("_")) {
          setter.append(setter.length() == 0 || part.isEmpty() ? part
              : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        camel.add(setter.toString());
      }
      return camel;
    });
  }

  private String closestFlow(String flow) {
    String closest = DidYouMean.closest(flow, flowNames());
    return closest == null ? "" : "did you mean '" + closest + "'? ";
  }

  private List<String> flowNames() {
    if (flowNames == null) {
      try {
        flowNames = files.names();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + files.dir(), e);
      }
    }
    return flowNames;
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

  /** Where the last name of {@code a.b.name} starts. */
  private static long nameStart(Tree tree) {
    return tree instanceof MemberSelectTree select ? select.getEndPosition() - select.getIdentifier().length()
        : tree.getStartPosition();
  }

  /** Where {@code checkout} starts in {@code stripe.checkout.sessions.create}. */
  private static long resourceStart(ExpressionTree callee) {
    ExpressionTree at = callee;
    while (at instanceof MemberSelectTree select && select.getExpression() instanceof MemberSelectTree inner) {
      at = inner;
    }
    return nameStart(at);
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
