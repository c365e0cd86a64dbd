package io.flowpay.script;

import io.flowpay.script.FlowFinding.Severity;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.openjdk.nashorn.api.tree.AssignmentTree;
import org.openjdk.nashorn.api.tree.CatchTree;
import org.openjdk.nashorn.api.tree.CompilationUnitTree;
import org.openjdk.nashorn.api.tree.CompoundAssignmentTree;
import org.openjdk.nashorn.api.tree.ExpressionTree;
import org.openjdk.nashorn.api.tree.ForInLoopTree;
import org.openjdk.nashorn.api.tree.ForOfLoopTree;
import org.openjdk.nashorn.api.tree.FunctionDeclarationTree;
import org.openjdk.nashorn.api.tree.FunctionExpressionTree;
import org.openjdk.nashorn.api.tree.IdentifierTree;
import org.openjdk.nashorn.api.tree.LoopTree;
import org.openjdk.nashorn.api.tree.MemberSelectTree;
import org.openjdk.nashorn.api.tree.SimpleTreeVisitorES6;
import org.openjdk.nashorn.api.tree.Tree;
import org.openjdk.nashorn.api.tree.UnaryTree;
import org.openjdk.nashorn.api.tree.VariableTree;

/**
 * Assignments to names a flow never declared ({@code total = 1}, {@code count++}, {@code for (k in o)}):
 * flows run in strict mode against a frozen global, so each throws when it runs. A name counts as
 * declared when a {@code var}, {@code let}, {@code const}, function, parameter or {@code catch} of an
 * enclosing function declares it (anywhere in that function: block scopes are not told apart, so a
 * doubtful case is let through), or when it is one of the names a run gives its flow.
 *
 * <p>With the same scopes: a member of {@code flow}, {@code ctx} or {@code log} that the run's object does
 * not have ({@code flow.state.x = 1}, {@code log.debug(...)}, {@code ctx.put(...)}): those objects are frozen
 * and have only the members of {@link #FACADES}, so each throws when it runs. A flow that declares a name of
 * its own for one of them is let through.
 */
final class Assignments {

  private static final Set<String> RUN_NAMES = Set.copyOf(Arrays.asList(LoopGuard.NAMES.split(", ")));

  /** The run's objects a flow calls into, with every member each has and how each is called. */
  static final Map<String, Map<String, String>> FACADES = Map.of(
      "flow", facade("dispatch", "dispatch(name, input[, {worker, context}])",
          "after", "after(ms, name, input[, {worker, context}])"),
      "ctx", facade("get", "get(key)", "set", "set(key, value)", "del", "del(key)", "all", "all()"),
      "log", facade("info", "info(...)", "warn", "warn(...)", "error", "error(...)"));

  private static Map<String, String> facade(String... membersAndUses) {
    Map<String, String> members = new LinkedHashMap<>();
    for (int i = 0; i < membersAndUses.length; i += 2) {
      members.put(membersAndUses[i], membersAndUses[i + 1]);
    }
    return members;
  }

  private final FlowCheck.Findings findings;

  Assignments(FlowCheck.Findings findings) {
    this.findings = findings;
  }

  void check(CompilationUnitTree unit) {
    Set<String> own = declared(unit);
    Set<String> top = new HashSet<>(RUN_NAMES);
    top.addAll(own);
    new Checker(top, own).scan(unit);
  }

  /** The names declared in one function body (or the flow's top level), not inside nested functions. */
  private static Set<String> declared(Tree body) {
    Set<String> names = new HashSet<>();
    body.accept(new SimpleTreeVisitorES6<Void, Void>() {
      @Override
      public Void visitVariable(VariableTree variable, Void nothing) {
        if (variable.getBinding() instanceof IdentifierTree name) {
          names.add(name.getName());
        }
        return super.visitVariable(variable, nothing);
      }

      @Override
      public Void visitFunctionDeclaration(FunctionDeclarationTree function, Void nothing) {
        if (function.getName() != null) {
          names.add(function.getName().getName());
        }
        return null;
      }

      @Override
      public Void visitFunctionExpression(FunctionExpressionTree function, Void nothing) {
        return null;
      }

      @Override
      public Void visitCatch(CatchTree caught, Void nothing) {
        if (caught.getParameter() instanceof IdentifierTree name) {
          names.add(name.getName());
        }
        return super.visitCatch(caught, nothing);
      }
    }, null);
    return names;
  }

  /** Walks the flow with the names in scope, one set per enclosing function. */
  private final class Checker extends LoopVisitor {

    private final Deque<Set<String>> scopes = new ArrayDeque<>();
    /** The names the flow itself declares at its top level. */
    private final Set<String> own;

    Checker(Set<String> top, Set<String> own) {
      scopes.push(top);
      this.own = own;
    }

    void scan(CompilationUnitTree unit) {
      unit.accept(this, null);
    }

    @Override
    public Void visitFunctionDeclaration(FunctionDeclarationTree function, Void nothing) {
      return inFunction(function.getParameters(), null, function.getBody(), () -> super.visitFunctionDeclaration(function, nothing));
    }

    @Override
    public Void visitFunctionExpression(FunctionExpressionTree function, Void nothing) {
      return inFunction(function.getParameters(), function.getName(), function.getBody(),
          () -> super.visitFunctionExpression(function, nothing));
    }

    private Void inFunction(List<? extends ExpressionTree> parameters, IdentifierTree name, Tree body, Runnable walk) {
      Set<String> scope = new HashSet<>(declared(body));
      parameters.forEach(parameter -> {
        if (parameter instanceof IdentifierTree identifier) {
          scope.add(identifier.getName());
        }
      });
      if (name != null) {
        scope.add(name.getName());
      }
      scopes.push(scope);
      try {
        walk.run();
      } finally {
        scopes.pop();
      }
      return null;
    }

    @Override
    public Void visitAssignment(AssignmentTree assignment, Void nothing) {
      assigned(assignment.getVariable());
      return super.visitAssignment(assignment, nothing);
    }

    @Override
    public Void visitCompoundAssignment(CompoundAssignmentTree assignment, Void nothing) {
      assigned(assignment.getVariable());
      return super.visitCompoundAssignment(assignment, nothing);
    }

    @Override
    public Void visitUnary(UnaryTree unary, Void nothing) {
      switch (unary.getKind()) {
        case PREFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_INCREMENT, POSTFIX_DECREMENT -> assigned(unary.getExpression());
        default -> { }
      }
      return super.visitUnary(unary, nothing);
    }

    @Override
    void loop(LoopTree loop) {
      if (loop instanceof ForInLoopTree in) {
        assigned(in.getVariable());
      } else if (loop instanceof ForOfLoopTree of) {
        assigned(of.getVariable());
      }
    }

    @Override
    public Void visitMemberSelect(MemberSelectTree select, Void nothing) {
      if (select.getExpression() instanceof IdentifierTree object && FACADES.containsKey(object.getName())
          && !declaredByFlow(object.getName())) {
        Map<String, String> members = FACADES.get(object.getName());
        String name = object.getName(), member = select.getIdentifier();
        if (!members.containsKey(member)) {
          findings.add(Severity.ERROR, select.getEndPosition() - member.length(), name + "." + member
              + " is not a function of " + name, DidYouMean.hint(member, members.keySet(), name + ".") + name
              + " has " + members.values().stream().collect(Collectors.joining(" and ")));
        }
      }
      return super.visitMemberSelect(select, nothing);
    }

    /** Whether the flow declares {@code name} itself, in an enclosing function or at its top level. */
    private boolean declaredByFlow(String name) {
      return own.contains(name) || scopes.stream().limit(scopes.size() - 1L).anyMatch(scope -> scope.contains(name));
    }

    private void assigned(ExpressionTree target) {
      if (!(target instanceof IdentifierTree identifier)) {
        return;
      }
      String name = identifier.getName();
      if (scopes.stream().noneMatch(scope -> scope.contains(name))) {
        findings.add(Severity.ERROR, identifier.getStartPosition(), "'" + name + "' is assigned but never declared:"
            + " flows run in strict mode, so this throws ReferenceError (or TypeError for a built-in) when it runs",
            "declare it with var, let or const (e.g. 'let " + name + " = ...'), or assign to a property of an object"
            + " you declared");
      }
    }
  }
}
