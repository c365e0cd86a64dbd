package io.flowpay.script;

import java.util.ArrayList;
import java.util.List;
import org.openjdk.nashorn.api.scripting.AbstractJSObject;
import org.openjdk.nashorn.api.scripting.ScriptUtils;
import org.openjdk.nashorn.internal.runtime.PropertyMap;
import org.openjdk.nashorn.internal.runtime.ScriptObject;

/**
 * The objects a hardened global shares between runs, and whether each is still frozen: the half of the check
 * after every run ({@code Sandbox.Global.unchanged}) that used to call {@code Object.isFrozen} on each of them,
 * which walks every property of every shared object (a tenth of the JVM's samples under load).
 *
 * <p>Nashorn never changes a property map in place: a property added, removed or given other attributes, and an
 * object made non-extensible, all give the object a new map (maps and their properties are immutable after
 * construction). So an object whose map is the very one it had when it was found frozen is still frozen, and
 * only an object whose map changed needs {@link ScriptObject#isFrozen()}, which then decides as before (and its
 * new map is remembered when it is still frozen). Same answer as the walk, for a pointer comparison per object.
 *
 * <p>Filled by the prelude while it builds the global (each shared object handed to {@link #call} on the
 * script thread, where Nashorn's current global is the one the objects belong to), then {@link #seal}ed. Used by
 * one script thread only.
 */
final class FrozenObjects extends AbstractJSObject {

  private final List<ScriptObject> objects = new ArrayList<>();
  private PropertyMap[] maps;

  @Override
  public boolean isFunction() {
    return true;
  }

  /** The prelude hands over one shared object. */
  @Override
  public Object call(Object self, Object... args) {
    if (maps != null) {
      throw new IllegalStateException("the shared objects are sealed");
    }
    // One value the walk reaches is a bare Java object of the engine's, with nothing to freeze;
    // Object.isFrozen counted it frozen, and so does this.
    if (ScriptUtils.unwrap(args[0]) instanceof ScriptObject object) {
      objects.add(object);
    }
    return null;
  }

  /** Remembers each object's map; every object must be frozen now. */
  void seal() {
    maps = new PropertyMap[objects.size()];
    for (int i = 0; i < maps.length; i++) {
      ScriptObject object = objects.get(i);
      if (!object.isFrozen()) {
        throw new IllegalStateException("a shared object of the global is not frozen: " + object.getClassName());
      }
      maps[i] = object.getMap();
    }
  }

  /** Whether every shared object is still frozen. */
  boolean stillFrozen() {
    for (int i = 0; i < maps.length; i++) {
      ScriptObject object = objects.get(i);
      PropertyMap map = object.getMap();
      if (map != maps[i]) {
        if (!object.isFrozen()) {
          return false;
        }
        maps[i] = map;
      }
    }
    return true;
  }

  int size() {
    return objects.size();
  }
}
