package io.flowpay.script;

import io.flowpay.script.FlowFinding.Severity;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 */
final class Assignments {

  private static final Set<String> RUN_NAMES = Set.copyOf(Arrays.asList(LoopGuard.NAMES.split(", ")));

  private final FlowCheck.Findings findings;

  Assignments(FlowCheck.Findings findings) {
    this.findings = findings;
  }

  void check(CompilationUnitTree unit) {
    Set<String> top = new HashSet<>(RUN_NAMES);
    top.addAll(declared(unit));
    new Checker(top).scan(unit);
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

    Checker(Set<String> top) {
      scopes.push(top);
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
