package io.flowpay.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.script.ScriptEngine;
import javax.script.ScriptException;
import org.junit.jupiter.api.Test;
import org.openjdk.nashorn.api.scripting.NashornScriptEngineFactory;
import org.openjdk.nashorn.api.scripting.ScriptObjectMirror;
import org.openjdk.nashorn.api.scripting.ScriptUtils;
import org.openjdk.nashorn.internal.runtime.Property;
import org.openjdk.nashorn.internal.runtime.ScriptObject;

/**
 * The check that a global's shared objects are still frozen answers as {@code Object.isFrozen} on each would:
 * an object whose map is the one it was frozen with is frozen; one whose map changed is asked. Engine bugs that
 * would let a flow write into a shared object are simulated through Nashorn's own internals, as no script can.
 */
class FrozenObjectsTest {

  private final ScriptEngine engine = new NashornScriptEngineFactory().getScriptEngine("--language=es6");

  @Test
  void frozenObjectsStayFrozenAcrossChecks() throws ScriptException {
    FrozenObjects shared = handOver("[Object.freeze({a: 1}), Object.freeze([1, 2]), Object.freeze(function () {})]");
    shared.seal();
    assertEquals(3, shared.size());
    for (int i = 0; i < 3; i++) {
      assertTrue(shared.stillFrozen());
    }
  }

  @Test
  void anObjectThatIsNotFrozenWhenHandedOverIsRefused() throws ScriptException {
    FrozenObjects shared = handOver("[Object.freeze({a: 1}), Object.seal({b: 2})]");
    assertThrows(IllegalStateException.class, shared::seal);
  }

  @Test
  void aSharedObjectThatGainedAWritablePropertyIsNoLongerFrozen() throws ScriptException {
    ScriptObjectMirror objects = objects("[Object.freeze({a: 1}), Object.freeze({b: 2})]");
    FrozenObjects shared = handOver(objects);
    shared.seal();
    scriptObject(objects, 1).addOwnProperty("leak", 0, "from another run");
    assertFalse(shared.stillFrozen());
  }

  @Test
  void aSharedObjectWhoseMapChangedButThatIsStillFrozenPassesAndIsCheapAgain() throws ScriptException {
    ScriptObjectMirror objects = objects("[Object.freeze({a: 1})]");
    FrozenObjects shared = handOver(objects);
    shared.seal();
    ScriptObject object = scriptObject(objects, 0);
    object.addOwnProperty("constant", Property.NOT_WRITABLE | Property.NOT_CONFIGURABLE, 1);
    assertTrue(shared.stillFrozen(), "a new map, still frozen");
    assertTrue(shared.stillFrozen());
    object.addOwnProperty("leak", 0, 2);
    assertFalse(shared.stillFrozen(), "the map it remembered is the frozen one, not a later one");
  }

  private FrozenObjects handOver(String array) throws ScriptException {
    return handOver(objects(array));
  }

  private FrozenObjects handOver(ScriptObjectMirror objects) throws ScriptException {
    FrozenObjects shared = new FrozenObjects();
    ScriptObjectMirror give = (ScriptObjectMirror) engine.eval(
        "(function (objects, sink) { objects.forEach(function (o) { sink(o); }); })");
    give.call(null, objects, shared);
    return shared;
  }

  private ScriptObjectMirror objects(String array) throws ScriptException {
    return (ScriptObjectMirror) engine.eval(array);
  }

  /** The engine's object behind element {@code i}, unwrapped where its global is current. */
  private ScriptObject scriptObject(ScriptObjectMirror objects, int i) throws ScriptException {
    ScriptObject[] found = new ScriptObject[1];
    ScriptObjectMirror take = (ScriptObjectMirror) engine.eval("(function (o, sink) { sink(o); })");
    take.call(null, objects.getSlot(i), new org.openjdk.nashorn.api.scripting.AbstractJSObject() {
      @Override
      public boolean isFunction() {
        return true;
      }

      @Override
      public Object call(Object self, Object... args) {
        found[0] = (ScriptObject) ScriptUtils.unwrap(args[0]);
        return null;
      }
    });
    return found[0];
  }
}
