// The JUnit 5 extension behind @Port6379: starts, injects, resets and stops the embedded servers of a test class.
package io.port6379.junit;

import io.port6379.server.embedded.EmbeddedServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ModifierSupport;

import java.lang.reflect.Field;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Where a server lives: in the class's {@link ExtensionContext.Store} when it serves the whole class, in the test's
 * when it serves one test. Each test class has its own context, so classes run in parallel never share a server;
 * a test's lookup falls back to its class's store. Servers are stopped by the callbacks, not by the store, so that
 * the extension behaves the same on every JUnit 5 version.
 */
public final class Port6379Extension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Port6379Extension.class);
    private static final String SERVER = "server";

    /** What the class asks for: from its annotation, else from its annotated fields. */
    private record Settings(boolean perClass, boolean reset, List<String> config) {

        static Settings of(Class<?> testClass) {
            Optional<Port6379> onClass = AnnotationSupport.findAnnotation(testClass, Port6379.class);
            if (onClass.isPresent()) {
                Port6379 a = onClass.get();
                return new Settings(a.lifecycle() == Port6379.Lifecycle.PER_CLASS, a.reset(), List.of(a.config()));
            }
            List<Field> fields = annotatedFields(testClass);
            boolean anyStatic = fields.stream().anyMatch(ModifierSupport::isStatic);
            List<String> config = fields.isEmpty() ? List.of() : List.of(fields.getFirst().getAnnotation(Port6379.class).config());
            return new Settings(anyStatic, true, config);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        Settings settings = Settings.of(testClass);
        if (!settings.perClass()) {
            return;
        }
        EmbeddedServer server = start(settings);
        context.getStore(NAMESPACE).put(SERVER, server);
        inject(testClass, null, server, true);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Settings settings = Settings.of(context.getRequiredTestClass());
        EmbeddedServer server;
        if (settings.perClass()) {
            server = server(context);
            if (server == null) { // registered by an instance field only: beforeAll did not run
                server = start(settings);
                context.getParent().orElseThrow().getStore(NAMESPACE).put(SERVER, server);
            }
        } else {
            server = start(settings);
            context.getStore(NAMESPACE).put(SERVER, server);
            inject(context.getRequiredTestClass(), null, server, true);
        }
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            inject(instance.getClass(), instance, server, false);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Settings settings = Settings.of(context.getRequiredTestClass());
        if (!settings.perClass()) {
            EmbeddedServer server = context.getStore(NAMESPACE).remove(SERVER, EmbeddedServer.class);
            if (server != null) {
                server.close();
            }
        } else if (settings.reset()) {
            EmbeddedServer server = server(context);
            if (server != null && !server.isStopped()) {
                server.reset();
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        EmbeddedServer server = context.getStore(NAMESPACE).remove(SERVER, EmbeddedServer.class);
        if (server != null) {
            server.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == EmbeddedServer.class || type == URI.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        EmbeddedServer server = server(context);
        if (server == null) {
            throw new ExtensionConfigurationException("no Port 6379 server is running for " + context.getDisplayName()
                    + " (a per-test server cannot be given to a @BeforeAll method)");
        }
        return value(parameter.getParameter().getType(), server);
    }

    private static EmbeddedServer server(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(SERVER, EmbeddedServer.class);
    }

    private static EmbeddedServer start(Settings settings) {
        EmbeddedServer.Builder builder = EmbeddedServer.builder();
        for (String line : settings.config()) {
            String trimmed = line.strip();
            int space = trimmed.indexOf(' ');
            String name = space < 0 ? trimmed : trimmed.substring(0, space);
            String value = space < 0 ? "" : unquote(trimmed.substring(space + 1).strip());
            builder.config(name, value);
        }
        return builder.start();
    }

    private static String unquote(String value) {
        boolean quoted = value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"));
        return quoted ? value.substring(1, value.length() - 1) : value;
    }

    private static List<Field> annotatedFields(Class<?> testClass) {
        return AnnotationSupport.findAnnotatedFields(testClass, Port6379.class);
    }

    /** Sets the annotated static ({@code statics}) or instance fields of {@code testClass} to the server, its URI or port. */
    private static void inject(Class<?> testClass, Object instance, EmbeddedServer server, boolean statics) {
        for (Field field : annotatedFields(testClass)) {
            if (ModifierSupport.isStatic(field) != statics) {
                continue;
            }
            try {
                field.setAccessible(true);
                field.set(instance, value(field.getType(), server));
            } catch (IllegalAccessException e) {
                throw new ExtensionConfigurationException("cannot set " + field, e);
            }
        }
    }

    private static Object value(Class<?> type, EmbeddedServer server) {
        if (type == EmbeddedServer.class) {
            return server;
        }
        if (type == URI.class) {
            return server.uri();
        }
        if (type == int.class || type == Integer.class) {
            return server.port();
        }
        throw new ExtensionConfigurationException("@Port6379 injects an EmbeddedServer, a URI or an int (the port), not "
                + type.getName());
    }
}
