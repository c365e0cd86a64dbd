package io.flowpay.script;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import javax.script.ScriptException;
import org.openjdk.nashorn.api.tree.BlockTree;
import org.openjdk.nashorn.api.tree.CatchTree;
import org.openjdk.nashorn.api.tree.CompilationUnitTree;
import org.openjdk.nashorn.api.tree.Diagnostic;
import org.openjdk.nashorn.api.tree.ExpressionStatementTree;
import org.openjdk.nashorn.api.tree.FunctionDeclarationTree;
import org.openjdk.nashorn.api.tree.FunctionExpressionTree;
import org.openjdk.nashorn.api.tree.IdentifierTree;
import org.openjdk.nashorn.api.tree.LabeledStatementTree;
import org.openjdk.nashorn.api.tree.LiteralTree;
import org.openjdk.nashorn.api.tree.LoopTree;
import org.openjdk.nashorn.api.tree.Parser;
import org.openjdk.nashorn.api.tree.PropertyTree;
import org.openjdk.nashorn.api.tree.StatementTree;
import org.openjdk.nashorn.api.tree.Tree;
import org.openjdk.nashorn.api.tree.TryTree;
import org.openjdk.nashorn.api.tree.VariableTree;
import org.openjdk.nashorn.api.tree.WithTree;

/**
 * Rewrites a flow's source so that every loop body and every function body starts with
 * {@code __flowpay_guard()}, every {@code catch} block with {@code __flowpay_caught(e)}, which
 * rethrows what a flow must not handle (a Java error: stack overflow, out of memory, the budget
 * running out), and every {@code finally} block with {@code __flowpay_caught()}, which throws once the
 * budget is spent. Text is only inserted, never on a new line, so lines in errors stay the user's;
 * where the tree's positions are off, {@link TreePositions} corrects them.
 *
 * <p>The guarded flow is wrapped as {@code (function (__flowpay_guard, __flowpay_caught, input, meta,
 * ...) { 'use strict'; return function () {<flow>}; })}: the script evaluates to a factory the
 * prelude calls with the guards and this run's names ({@link #NAMES}), then calls the flow with a
 * frozen view of the global's built-ins as {@code this}. So the guards and the run's names are closure
 * variables (fast to reach, no property a flow could overwrite, fresh for every run although the
 * global is reused), the flow's top-level variables are locals (Nashorn reaches those far faster than globals), and a flow
 * may still declare its own {@code let error = ...}. Flows run in strict mode. Since the flow alone parses as a program,
 * its braces cannot close the wrapper. Names starting with {@code __flowpay}, which could shadow a
 * guard, and {@code with}, which could hide one, are refused.
 *
 * <p>Nashorn's tree API drops a {@code for (let ...)} / {@code for (const ...)} loop with its whole
 * body (its {@code IRTranslator} keeps only the first statement of the block it desugars to), so the
 * tree is built from a copy in which those words read {@code var}/{@code var  } (same length, same
 * positions); a {@code let}/{@code const} still seen in that tree means the copy missed one, and the
 * flow is refused rather than run unguarded.
 */
final class LoopGuard {

  static final String RESERVED = "__flowpay";
  static final String GUARD = "__flowpay_guard";
  static final String CAUGHT = "__flowpay_caught";

  /** The names a run gives its flow, in the order the prelude passes them to the flow's factory. */
  static final String NAMES =
      "input, meta, ctx, stripe, flow, log, print, response, parsed_data, error, parsed_error, request, carry";

  // Strict: a flow cannot create globals (the global is frozen; an assignment to an undeclared name throws
  // instead of doing nothing), nor reach arguments.callee / caller.
  private static final String ENTER =
      "(function (" + GUARD + ", " + CAUGHT + ", " + NAMES + ") { 'use strict'; return function () {";
  private static final String LEAVE = "\n}; })";

  private static final Pattern LET = Pattern.compile("\\blet\\b");
  private static final Pattern CONST = Pattern.compile("\\bconst\\b");

  /** A flow the guard refuses: the reason, the file and line, as {@code flowpay check} prints them. */
  static final class Refused extends ScriptException {

    private final String reason;

    Refused(String reason, String file, int line) {
      this(reason, file, line, -1);
    }

    /** @param column 0-based, as Nashorn's own syntax errors count it; -1 when not known */
    Refused(String reason, String file, int line, int column) {
      super(reason, file, line, column);
      this.reason = reason;
    }

    String reason() {
      return reason;
    }
  }

  private record Insert(int at, String text, boolean closes, int order) {}

  private final Parser parser = Parser.create("--language=es6", "--empty-statements", "--no-syntax-extensions");

  /**
   * The guarded flow, as a script that evaluates to its factory (see above).
   *
   * @throws Refused when the flow uses a reserved name or {@code with}, or does not parse (the caller
   *     then compiles the original, so that a syntax error reads as Nashorn reports it)
   */
  String insert(String source, String file) throws Refused {
    List<Diagnostic> errors = new ArrayList<>();
    CompilationUnitTree unit;
    synchronized (parser) {
      unit = parser.parse(file, neutral(source), diagnostic -> {
        if (diagnostic.getKind() == Diagnostic.Kind.ERROR) {
          errors.add(diagnostic);
        }
      });
    }
    if (unit == null || !errors.isEmpty()) {
      throw unparsable(errors, file);
    }
    Finder finder = new Finder(source, unit, file);
    try {
      unit.accept(finder, null);
    } catch (RefusedAt refusal) {
      throw refusal.refused;
    }
    return ENTER + apply(source, finder.inserts) + LEAVE;
  }

  static String neutral(String source) {
    return CONST.matcher(LET.matcher(source).replaceAll("var")).replaceAll("var  ");
  }

  private static Refused unparsable(List<Diagnostic> errors, String file) {
    Diagnostic first = errors.isEmpty() ? null : errors.get(0);
    String why = first == null ? "" : ": " + first.getMessage().lines().findFirst().orElse("")
        .replaceFirst("^.*?:\\d+:\\d+ ", "");
    return new Refused("Flowpay cannot place its loop guard in this flow" + why
        + " (is 'let' or 'const' used as a name? rename it)", file, first == null ? 0 : (int) first.getLineNumber());
  }

  /** At one place, closing text goes first (the innermost first), then opening text (the outermost first). */
  private static String apply(String source, List<Insert> inserts) {
    inserts.sort(Comparator.comparingInt(Insert::at)
        .thenComparing(Insert::closes, Comparator.reverseOrder())
        .thenComparingInt(insert -> insert.closes() ? -insert.order() : insert.order()));
    StringBuilder out = new StringBuilder(source.length() + inserts.size() * 24);
    int from = 0;
    for (Insert insert : inserts) {
      out.append(source, from, insert.at()).append(insert.text());
      from = insert.at();
    }
    return out.append(source, from, source.length()).toString();
  }

  /** Collects where the guards go; refuses reserved names and {@code with}. */
  private static final class Finder extends LoopVisitor {

    private final TreePositions positions;
    private final CompilationUnitTree unit;
    private final String file;
    private final List<Insert> inserts = new ArrayList<>();

    Finder(String source, CompilationUnitTree unit, String file) {
      this.positions = new TreePositions(source);
      this.unit = unit;
      this.file = file;
    }

    @Override
    void loop(LoopTree loop) {
      loopBody(loop.getStatement());
    }

    @Override
    public Void visitFunctionDeclaration(FunctionDeclarationTree node, Void unused) {
      checkName(node.getName());
      functionBody(node.getBody());
      return super.visitFunctionDeclaration(node, unused);
    }

    @Override
    public Void visitFunctionExpression(FunctionExpressionTree node, Void unused) {
      checkName(node.getName());
      if (node.getBody() instanceof BlockTree block) {
        functionBody(block);
      } else {
        arrowBody(node.getBody());
      }
      return super.visitFunctionExpression(node, unused);
    }

    @Override
    public Void visitCatch(CatchTree node, Void unused) {
      if (node.getParameter() instanceof IdentifierTree parameter) {
        add(opening(node.getBlock()), CAUGHT + "(" + parameter.getName() + ");", false);
      } else {
        throw refuse(node, "this catch clause is not supported in flows: use catch (e)");
      }
      return super.visitCatch(node, unused);
    }

    /** A finally block runs even after the watchdog stopped the run: it must not start new work then. */
    @Override
    public Void visitTry(TryTree node, Void unused) {
      if (node.getFinallyBlock() != null) {
        add(opening(node.getFinallyBlock()), CAUGHT + "();", false);
      }
      return super.visitTry(node, unused);
    }

    @Override
    public Void visitIdentifier(IdentifierTree node, Void unused) {
      checkName(node);
      return null;
    }

    @Override
    public Void visitVariable(VariableTree node, Void unused) {
      if (node.isLet() || node.isConst()) {
        throw refuse(node, "Flowpay cannot place its loop guard around this declaration; use var");
      }
      node.getBinding().accept(this, unused);
      return super.visitVariable(node, unused);
    }

    @Override
    public Void visitLabeledStatement(LabeledStatementTree node, Void unused) {
      checkName(node.getLabel(), node);
      return super.visitLabeledStatement(node, unused);
    }

    /**
     * {@code {__proto__: null}} makes an object without Object.prototype at compile time, out of the
     * prelude's reach (on such an object Nashorn would store its Java exception when it is thrown).
     */
    @Override
    public Void visitProperty(PropertyTree node, Void unused) {
      if (!node.isComputed() && node.getKey() instanceof IdentifierTree key && key.getName().equals("__proto__")) {
        throw refuse(node, "'__proto__' as a key of an object literal is not allowed in flows: use"
            + " Object.create(proto) or Object.setPrototypeOf(object, proto)");
      }
      return super.visitProperty(node, unused);
    }

    @Override
    public Void visitWith(WithTree node, Void unused) {
      throw refuse(node, "'with' is not allowed in flows (it can hide names Flowpay relies on): name the object instead");
    }

    private void loopBody(StatementTree body) {
      if (body instanceof BlockTree block && positions.afterOpening(block) > 0) {
        add(positions.afterOpening(block), GUARD + "();", false);
      } else {
        add(positions.statementStart(body), "{" + GUARD + "();", false);
        add(positions.statementEnd(body), "}", true);
      }
    }

    /** After the directives ({@code 'use strict'} must stay first), or else after the opening brace. */
    private void functionBody(BlockTree body) {
      int at = opening(body);
      String text = GUARD + "();";
      for (StatementTree statement : body.getStatements()) {
        if (!(statement instanceof ExpressionStatementTree expression)
            || !(expression.getExpression() instanceof LiteralTree literal) || !(literal.getValue() instanceof String)) {
          break;
        }
        at = positions.statementEnd(statement);
        text = ";" + GUARD + "();";
      }
      add(at, text, false);
    }

    /** {@code x => x + 1} becomes {@code x => (__flowpay_guard(), x + 1)}. */
    private void arrowBody(Tree body) {
      int start = positions.afterArrow(body);
      int end = positions.rightmost(body);
      if (start < 0 || end < 0) {
        throw refuse(body, "Flowpay cannot place its loop guard in this arrow function: write its body in braces,"
            + " x => { return ...; }");
      }
      // Where the tree left out a ')' before `end`, the ')' inserted here closes that '(' and the left out
      // ')' closes the one inserted at `start`: the parentheses still balance, the value is the body's.
      add(start, "(" + GUARD + "(),", false);
      add(end, ")", true);
    }

    private int opening(BlockTree block) {
      int at = positions.afterOpening(block);
      if (at < 0) {
        throw refuse(block, "Flowpay cannot place its loop guard here (no '{' where a block starts)");
      }
      return at;
    }

    private void add(int at, String text, boolean closes) {
      inserts.add(new Insert(at, text, closes, inserts.size()));
    }

    private void checkName(IdentifierTree name) {
      if (name != null) {
        checkName(name.getName(), name);
      }
    }

    private void checkName(String name, Tree where) {
      if (name != null && name.startsWith(RESERVED)) {
        throw refuse(where, "'" + name + "': names starting with " + RESERVED
            + " are reserved for Flowpay's loop guard; rename it");
      }
    }

    private RefusedAt refuse(Tree where, String reason) {
      long at = where.getStartPosition();
      return new RefusedAt(new Refused(reason, file, (int) unit.getLineMap().getLineNumber(at),
          (int) unit.getLineMap().getColumnNumber(at)));
    }
  }

  /** Carries a refusal out of the visitor, whose methods cannot throw checked exceptions. */
  private static final class RefusedAt extends RuntimeException {

    final Refused refused;

    RefusedAt(Refused refused) {
      super(refused.reason(), null, false, false);
      this.refused = refused;
    }
  }
}
