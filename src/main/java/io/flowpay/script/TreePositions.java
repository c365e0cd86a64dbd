package io.flowpay.script;

import org.openjdk.nashorn.api.tree.ArrayAccessTree;
import org.openjdk.nashorn.api.tree.AssignmentTree;
import org.openjdk.nashorn.api.tree.BinaryTree;
import org.openjdk.nashorn.api.tree.BlockTree;
import org.openjdk.nashorn.api.tree.CompoundAssignmentTree;
import org.openjdk.nashorn.api.tree.ConditionalExpressionTree;
import org.openjdk.nashorn.api.tree.FunctionCallTree;
import org.openjdk.nashorn.api.tree.FunctionExpressionTree;
import org.openjdk.nashorn.api.tree.InstanceOfTree;
import org.openjdk.nashorn.api.tree.MemberSelectTree;
import org.openjdk.nashorn.api.tree.Tree;
import org.openjdk.nashorn.api.tree.UnaryTree;

/**
 * Where a node of Nashorn's tree really starts and ends in its source. The tree's own positions are
 * off in a few places: parentheses are left out ({@code (f)()} starts at {@code f}), a string or
 * template literal starts after its opening quote and ends before its closing one, {@code a ? b : c}
 * starts at its {@code ?}, an arrow function is placed at its body, and a block ends at its last
 * statement. Each method returns -1 where it cannot be sure, so that the caller refuses the flow
 * instead of guessing.
 */
final class TreePositions {

  /** What the tree leaves out before an expression's first token: parentheses, a literal's opening quote. */
  private static final String OPENERS = "(`'\"";

  private final String source;

  TreePositions(String source) {
    this.source = source;
  }

  /** Just after a block's opening brace. */
  int afterOpening(BlockTree block) {
    int at = (int) block.getStartPosition();
    return at < source.length() && source.charAt(at) == '{' ? at + 1 : -1;
  }

  /** Just after a block's closing brace. */
  int afterClosing(BlockTree block) {
    int at = skipBlank((int) block.getEndPosition());
    return at < source.length() && source.charAt(at) == '}' ? at + 1 : -1;
  }

  /** A statement's start: its first token, before any '(' or opening quote the tree left out. */
  int statementStart(Tree statement) {
    int start = (int) statement.getStartPosition();
    for (int at = start; at > 0 && isBlankOr(source.charAt(at - 1), OPENERS);) {
      at--;
      if (!Character.isWhitespace(source.charAt(at))) {
        start = at;
      }
    }
    return start;
  }

  /** A statement's end: after the ')' the tree left out, and its ';' (a do-while body needs it inside). */
  int statementEnd(Tree statement) {
    int end = afterQuote((int) statement.getEndPosition());
    for (int at = skipBlank(end); at < source.length(); at = skipBlank(at)) {
      char next = source.charAt(at);
      if (next != ')' && next != ';') {
        break;
      }
      end = ++at;
      if (next == ';') {
        break;
      }
    }
    return end;
  }

  /**
   * Just after the {@code =>} of the arrow function whose expression body is {@code body}, found
   * before the body's first token; -1 when that token cannot be found (say, a {@code function}).
   */
  int afterArrow(Tree body) {
    int at = back(leftmost(body), OPENERS);
    return at >= 2 && source.startsWith("=>", at - 2) ? at : -1;
  }

  /** Where an expression's last token ends: down its right side; -1 when unsure. */
  int rightmost(Tree tree) {
    Tree last = null;
    if (tree instanceof ConditionalExpressionTree conditional) {
      last = conditional.getFalseExpression();
    } else if (tree instanceof BinaryTree binary) {
      last = binary.getRightOperand();
    } else if (tree instanceof AssignmentTree assignment) {
      last = assignment.getExpression();
    } else if (tree instanceof CompoundAssignmentTree assignment) {
      last = assignment.getExpression();
    } else if (tree instanceof InstanceOfTree instanceOf) {
      last = instanceOf.getType();
    } else if (tree instanceof UnaryTree unary && unary.getStartPosition() < unary.getExpression().getStartPosition()) {
      last = unary.getExpression();
    } else if (tree instanceof FunctionExpressionTree function) {
      return function.getBody() instanceof BlockTree block ? afterClosing(block) : rightmost(function.getBody());
    }
    int end = afterQuote((int) tree.getEndPosition());
    if (last == null) {
      return end;
    }
    int lastEnd = rightmost(last);
    return lastEnd < 0 ? -1 : Math.max(end, lastEnd);
  }

  /** Where an expression's first token starts: down its left side, which the tree places exactly. */
  private int leftmost(Tree tree) {
    Tree first = null;
    if (tree instanceof ConditionalExpressionTree conditional) {
      first = conditional.getCondition();
    } else if (tree instanceof BinaryTree binary) {
      first = binary.getLeftOperand();
    } else if (tree instanceof AssignmentTree assignment) {
      first = assignment.getVariable();
    } else if (tree instanceof CompoundAssignmentTree assignment) {
      first = assignment.getVariable();
    } else if (tree instanceof InstanceOfTree instanceOf) {
      first = instanceOf.getExpression();
    } else if (tree instanceof FunctionCallTree call) {
      first = call.getFunctionSelect();
    } else if (tree instanceof MemberSelectTree member) {
      first = member.getExpression();
    } else if (tree instanceof ArrayAccessTree access) {
      first = access.getExpression();
    } else if (tree instanceof UnaryTree unary && unary.getStartPosition() >= unary.getExpression().getStartPosition()) {
      first = unary.getExpression();
    } else if (tree instanceof FunctionExpressionTree arrow && arrow.isArrow()) {
      return arrowStart(arrow);
    }
    int start = (int) tree.getStartPosition();
    return first == null ? start : Math.min(start, leftmost(first));
  }

  /** An arrow function's first parameter, or the {@code (} of {@code () =>}. */
  private int arrowStart(FunctionExpressionTree arrow) {
    if (!arrow.getParameters().isEmpty()) {
      return leftmost(arrow.getParameters().get(0));
    }
    Tree body = arrow.getBody();
    int at = back(body instanceof BlockTree ? (int) body.getStartPosition() : leftmost(body), OPENERS);
    for (String token : new String[] {"=>", ")", "("}) {
      if (!source.startsWith(token, at - token.length())) {
        return at;
      }
      at = back(at - token.length(), "");
    }
    return at;
  }

  /** After a literal's closing quote, when the tree ended the literal just before it. */
  private int afterQuote(int end) {
    return end < source.length() && "'\"`".indexOf(source.charAt(end)) >= 0 ? end + 1 : end;
  }

  /** Back over whitespace and the characters {@code also}. */
  private int back(int at, String also) {
    while (at > 0 && isBlankOr(source.charAt(at - 1), also)) {
      at--;
    }
    return at;
  }

  private static boolean isBlankOr(char c, String also) {
    return Character.isWhitespace(c) || also.indexOf(c) >= 0;
  }

  /** Forward over whitespace and comments. */
  private int skipBlank(int at) {
    while (at < source.length()) {
      if (Character.isWhitespace(source.charAt(at))) {
        at++;
      } else if (source.startsWith("//", at)) {
        int newline = source.indexOf('\n', at);
        at = newline < 0 ? source.length() : newline;
      } else if (source.startsWith("/*", at)) {
        int close = source.indexOf("*/", at + 2);
        at = close < 0 ? source.length() : close + 2;
      } else {
        break;
      }
    }
    return at;
  }
}
