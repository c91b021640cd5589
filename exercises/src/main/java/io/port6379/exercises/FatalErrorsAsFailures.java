// Keeps one test's OutOfMemoryError or StackOverflowError from ending a stage run: it becomes that test's failure.
package io.port6379.exercises;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

import java.lang.reflect.Method;

/**
 * JUnit rethrows a {@link VirtualMachineError} and stops the whole run, which is right for a build but wrong for a
 * workshop: {@code new byte[2_000_000_000][]} for a {@code *2000000000} header, or an endless recursion, is an
 * everyday first attempt, and the other behaviours of the stage should still be graded. Both errors leave the JVM
 * usable once the test's objects are unreachable. Registered for stage runs only, through
 * META-INF/services and {@code junit.jupiter.extensions.autodetection.enabled} (see {@link StageTestRun}).
 */
public final class FatalErrorsAsFailures implements InvocationInterceptor {

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                    ExtensionContext extensionContext) throws Throwable {
        proceed(invocation);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
                                            ReflectiveInvocationContext<Method> invocationContext,
                                            ExtensionContext extensionContext) throws Throwable {
        proceed(invocation);
    }

    private static void proceed(Invocation<Void> invocation) throws Throwable {
        try {
            invocation.proceed();
        } catch (OutOfMemoryError | StackOverflowError e) {
            throw new AssertionError(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
