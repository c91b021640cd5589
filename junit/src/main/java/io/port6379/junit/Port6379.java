// @Port6379: a test class or field gets an embedded Port 6379 server, started, reset between tests, and stopped.
package io.port6379.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

// tag::annotation[]
/**
 * A Port 6379 server for a test class, started before its tests and stopped after them:
 * <pre>{@code
 * @Port6379
 * class CartTest {
 *     @Port6379 static URI redis;                  // or EmbeddedServer, or int (the port)
 *
 *     @Test
 *     void addsAnItem(EmbeddedServer server) {      // parameters of those types are injected too
 *         try (Jedis jedis = new Jedis(redis)) { ... }
 *     }
 * }
 * }</pre>
 * On the class, one server serves every test of the class ({@link Lifecycle#PER_CLASS}, the default), reset after
 * each test ({@link #reset}: FLUSHALL and the configuration back to its start), or each test gets a new one
 * ({@link Lifecycle#PER_METHOD}). Without the annotation on the class, annotated fields decide: a static field
 * means one server for the class, an instance field a new server for each test. Every annotated field and every
 * parameter of the supported types in a class gets the same server. Test classes run in parallel get a server each.
 */
// end::annotation[]
@Target({ElementType.TYPE, ElementType.FIELD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(Port6379Extension.class)
public @interface Port6379 {

    /** Parameters as redis.conf lines, name then value: {@code {"maxmemory 64mb", "maxmemory-policy allkeys-lru"}}. */
    String[] config() default {};

    /** One server for the class, or one per test; taken from the class's annotation. */
    Lifecycle lifecycle() default Lifecycle.PER_CLASS;

    /** With one server for the class: {@code EmbeddedServer.reset()} after each test, so no test sees another's keys. */
    boolean reset() default true;

    /** How long a server lives. */
    enum Lifecycle { PER_CLASS, PER_METHOD }
}
