package io.flowpay.script;

import io.flowpay.config.ScriptLimits;
import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.Effects;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.openjdk.nashorn.api.scripting.AbstractJSObject;
import org.openjdk.nashorn.api.scripting.ScriptObjectMirror;

/**
 * The one Java object a run's prelude holds: {@code host(op, args...)}, strings in, a string out.
 * It never throws (a Java exception caught by a script would hand it a Java object): a result is
 * {@link Answer#VALUE} ({@code "+"}) and the value, a refusal is {@link Answer#REFUSAL} ({@code "!"}) and a message
 * the prelude throws as a JS Error. The operations are {@link Op}'s; the prelude ({@code script/prelude.js}) names
 * them by {@link Op#wire()}.
 */
final class Host extends AbstractJSObject {

  /** What a flow's facades ask of the host, by the name the prelude sends ({@link #wire()}). */
  enum Op {
    CTX_GET, CTX_SET, CTX_DEL, CTX_ALL, STRIPE, STRIPE_REQUEST, FLOW_DISPATCH, FLOW_AFTER, LOG;

    private static final Map<String, Op> BY_WIRE =
        Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(Op::wire, op -> op));

    /** The name the prelude sends: {@code CTX_GET} is {@code ctx.get}. */
    String wire() {
      return name().toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /** The operation of a name, or null when there is none. */
    static Op of(String wire) {
      return wire == null ? null : BY_WIRE.get(wire);
    }
  }

  /** The first character of every answer: what the rest is. */
  enum Answer {
    /** The rest is the result. */
    VALUE('+'),
    /** The rest is a message the prelude throws as a JS Error. */
    REFUSAL('!');

    private final char prefix;

    Answer(char prefix) {
      this.prefix = prefix;
    }

    String with(String text) {
      return prefix + text;
    }
  }

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
      return Answer.REFUSAL.with(op + " was called after its run ended");
    }
    try {
      return Answer.VALUE.with(perform(op, args));
    } catch (FlowpayFailure refused) {
      return Answer.REFUSAL.with(refused.getMessage());
    } catch (RuntimeException | StackOverflowError bug) {
      LOG.log(Level.WARNING, "flow host operation " + op + " failed", bug);
      return Answer.REFUSAL.with(op + " failed inside Flowpay: " + bug);
    }
  }

  private String perform(String name, Object[] args) {
    Op op = Op.of(name);
    if (op == null) {
      throw ScriptJson.refuse("unknown host operation '" + name + "'");
    }
    return switch (op) {
      case CTX_GET -> ctx.get(arg(args, 1));
      case CTX_SET -> ctx.set(arg(args, 1), arg(args, 2));
      case CTX_DEL -> ctx.del(arg(args, 1));
      case CTX_ALL -> ctx.all();
      case STRIPE -> stripe.call(arg(args, 1), arg(args, 2), arg(args, 3), arg(args, 4), arg(args, 5));
      case STRIPE_REQUEST -> stripe.request(arg(args, 1), arg(args, 2), arg(args, 3), arg(args, 4));
      case FLOW_DISPATCH -> dispatches.dispatch(arg(args, 1), arg(args, 2), arg(args, 3));
      case FLOW_AFTER -> dispatches.after(arg(args, 1), arg(args, 2), arg(args, 3), arg(args, 4));
      case LOG -> log(arg(args, 1), arg(args, 2));
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
