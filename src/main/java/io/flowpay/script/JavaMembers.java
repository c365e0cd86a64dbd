package io.flowpay.script;

import io.vertx.core.json.JsonArray;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.TreeSet;

/**
 * The Java members Nashorn lets a script reach on any primitive: a property a JS string, number,
 * boolean or symbol lacks falls through to the Java object's methods and bean properties
 * ({@code 'abc'.getClass()}, {@code 'abc'.chars()}, {@code (1).class}), whatever the engine options.
 * The prelude shadows each of these names with {@code undefined} on the primitives' prototypes.
 */
final class JavaMembers {

  private static final List<String> PRIMITIVE_CLASSES = List.of("java.lang.String", "java.lang.Integer",
      "java.lang.Long", "java.lang.Double", "java.lang.Boolean", "org.openjdk.nashorn.internal.runtime.ConsString",
      "org.openjdk.nashorn.internal.runtime.Symbol");

  private JavaMembers() {}

  /** Instance method names and bean property names, as a JSON array text. */
  static String ofPrimitives() {
    TreeSet<String> names = new TreeSet<>();
    for (String className : PRIMITIVE_CLASSES) {
      for (Method method : load(className).getMethods()) {
        if (!Modifier.isStatic(method.getModifiers())) {
          names.add(method.getName());
          beanProperty(method, names);
        }
      }
    }
    return new JsonArray(List.copyOf(names)).encode();
  }

  private static void beanProperty(Method method, TreeSet<String> names) {
    String name = method.getName();
    int prefix = name.startsWith("get") ? 3 : name.startsWith("is") ? 2 : 0;
    if (prefix > 0 && name.length() > prefix && method.getParameterCount() == 0) {
      names.add(Character.toLowerCase(name.charAt(prefix)) + name.substring(prefix + 1));
    }
  }

  private static Class<?> load(String className) {
    try {
      return Class.forName(className, false, JavaMembers.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("Nashorn changed: " + className + " is gone; review the flow sandbox", e);
    }
  }
}
