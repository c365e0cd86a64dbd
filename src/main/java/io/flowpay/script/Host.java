package io.flowpay.script;

import io.flowpay.config.ScriptLimits;
import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.Effects;
import java.lang.System.Logger.Level;
import org.openjdk.nashorn.api.scripting.AbstractJSObject;
import org.openjdk.nashorn.api.scripting.ScriptObjectMirror;

/**
 * The one Java object a run's prelude holds: {@code host(op, args...)}, strings in, a string out.
 * It never throws (a Java exception caught by a script would hand it a Java object): a result is
 * {@code "+"} and the value, a refusal is {@code "!"} and a message the prelude throws as a JS Error.
 */
final class Host extends AbstractJSObject {

  private static final System.Logger LOG = System.getLogger(Host.class.getName());

  private final ContextState ctx;
  private final StripeCalls stripe;
  private final Dispatches dispatches;
  private final Effects effects;
  private final long maxLogBytes;
  private long logBytes;
  private volatile boolean closed;

  Host(ContextState ctx, StripeCalls stripe, Dispatches dispatches, Effects effects) {
    this(ctx, stripe, dispatches, effects, new ScriptLimits());
  }

  Host(ContextState ctx, StripeCalls stripe, Dispatches dispatches, Effects effects, ScriptLimits limits) {
    this.ctx = ctx;
    this.stripe = stripe;
    this.dispatches = dispatches;
    this.effects = effects;
    this.maxLogBytes = limits.maxLogBytes();
  }

  /** The run ended: every later call is refused, whoever kept a way to make it. */
  void close() {
    closed = true;
  }

  @Override
  public boolean isFunction() {
    return true;
  }

  @Override
  public Object call(Object thiz, Object... args) {
    String op = arg(args, 0);
    if (closed) {
      return "!" + op + " was called after its run ended";
    }
    try {
      return "+" + perform(op, args);
    } catch (FlowpayFailure refused) {
      return "!" + refused.getMessage();
    } catch (RuntimeException | StackOverflowError bug) {
      LOG.log(Level.WARNING, "flow host operation " + op + " failed", bug);
      return "!" + op + " failed inside Flowpay: " + bug;
    }
  }

  private String perform(String op, Object[] args) {
    return switch (String.valueOf(op)) {
      case "ctx.get" -> ctx.get(arg(args, 1));
      case "ctx.set" -> ctx.set(arg(args, 1), arg(args, 2));
      case "ctx.del" -> ctx.del(arg(args, 1));
      case "ctx.all" -> ctx.all();
      case "stripe" -> stripe.call(arg(args, 1), arg(args, 2), arg(args, 3), arg(args, 4), arg(args, 5));
      case "stripe.request" -> stripe.request(arg(args, 1), arg(args, 2), arg(args, 3), arg(args, 4));
      case "flow.dispatch" -> dispatches.dispatch(arg(args, 1), arg(args, 2), arg(args, 3));
      case "flow.after" -> dispatches.after(arg(args, 1), arg(args, 2), arg(args, 3), arg(args, 4));
      case "log" -> log(arg(args, 1), arg(args, 2));
      default -> throw ScriptJson.refuse("unknown host operation '" + op + "'");
    };
  }

  /** Past the run's log bytes a line is dropped; the first dropped one leaves a marker. The run goes on. */
  private String log(String level, String message) {
    if (logBytes > maxLogBytes) {
      return "";
    }
    long bytes = ScriptJson.utf8Length(String.valueOf(message));
    logBytes += bytes;
    if (logBytes > maxLogBytes) {
      effects.log("warn", "[flowpay] log limit reached: a run may log " + maxLogBytes
          + " bytes (worker.maxLogBytes); this line of " + bytes + " bytes and later ones were dropped");
    } else {
      effects.log(level, message);
    }
    return "";
  }

  /** The i-th argument as a string; missing, null and undefined become null. */
  private static String arg(Object[] args, int index) {
    if (index >= args.length || args[index] == null || ScriptObjectMirror.isUndefined(args[index])) {
      return null;
    }
    return args[index].toString();
  }
}
