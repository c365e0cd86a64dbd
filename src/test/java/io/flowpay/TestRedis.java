package io.flowpay;

import io.flowpay.standin.EmbeddedRedis;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real Redis for integration tests: {@code REDIS_URL} when set, otherwise one embedded
 * redis-server per test run, started on first use and stopped when the run ends. Tests keep apart
 * by using fresh worker and context ids.
 *
 * <p>Use with {@code @ExtendWith(TestRedis.Extension.class)} and a {@code TestRedis} parameter.
 */
public record TestRedis(String url) {

  /** Resolves {@link TestRedis} parameters. */
  public static final class Extension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == TestRedis.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      String external = System.getenv("REDIS_URL");
      if (external != null && !external.isBlank()) {
        return new TestRedis(external);
      }
      ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(TestRedis.class));
      Server server = store.getOrComputeIfAbsent("server", key -> new Server(EmbeddedRedis.start()), Server.class);
      return new TestRedis(server.redis.url());
    }
  }

  /** Closed by JUnit when the root context closes, i.e. at the end of the run. */
  private record Server(EmbeddedRedis redis) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      redis.close();
    }
  }
}
