package io.flowpay.script;

import org.openjdk.nashorn.api.tree.DoWhileLoopTree;
import org.openjdk.nashorn.api.tree.ForInLoopTree;
import org.openjdk.nashorn.api.tree.ForLoopTree;
import org.openjdk.nashorn.api.tree.ForOfLoopTree;
import org.openjdk.nashorn.api.tree.LoopTree;
import org.openjdk.nashorn.api.tree.SimpleTreeVisitorES6;
import org.openjdk.nashorn.api.tree.WhileLoopTree;

/**
 * A walk over a flow's tree that meets every loop, of whichever of the five kinds, in one method ({@link #loop}),
 * before the loop's parts are walked: the loop guard puts a guard in each loop's body, the assignment check reads
 * what a {@code for (x in o)} / {@code for (x of o)} assigns.
 */
abstract class LoopVisitor extends SimpleTreeVisitorES6<Void, Void> {

  /** One loop, met before its parts. */
  abstract void loop(LoopTree loop);

  @Override
  public Void visitWhileLoop(WhileLoopTree node, Void unused) {
    loop(node);
    return super.visitWhileLoop(node, unused);
  }

  @Override
  public Void visitDoWhileLoop(DoWhileLoopTree node, Void unused) {
    loop(node);
    return super.visitDoWhileLoop(node, unused);
  }

  @Override
  public Void visitForLoop(ForLoopTree node, Void unused) {
    loop(node);
    return super.visitForLoop(node, unused);
  }

  @Override
  public Void visitForInLoop(ForInLoopTree node, Void unused) {
    loop(node);
    return super.visitForInLoop(node, unused);
  }

  @Override
  public Void visitForOfLoop(ForOfLoopTree node, Void unused) {
    loop(node);
    return super.visitForOfLoop(node, unused);
  }
}
