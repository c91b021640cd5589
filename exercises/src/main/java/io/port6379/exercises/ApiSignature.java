// The API a shadowing class must keep: everything of the reference class that other classes can reach.
package io.port6379.exercises;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Describes a class as a sorted set of lines, one per non-private member: the class itself (kind, modifiers,
 * supertypes), constructors, methods, fields and nested types, recursively. Two classes with equal signatures
 * can replace each other on the class path: the rest of the server and the reference tests link to exactly
 * these members. Package-private members count too, because the server and the tests live in the same
 * packages as the class they call.
 *
 * <p>Uses reflection on purpose: it compares two compiled classes of the same name from two class loaders,
 * by the names of the types they use, never by {@code Class} identity.
 */
public final class ApiSignature {

    private static final int VISIBLE_MODIFIERS = Modifier.PUBLIC | Modifier.PROTECTED | Modifier.STATIC
            | Modifier.FINAL | Modifier.ABSTRACT | Modifier.INTERFACE;

    private ApiSignature() {
    }

    public static SortedSet<String> of(Class<?> type) {
        SortedSet<String> lines = new TreeSet<>();
        describe(type, type.getName(), lines);
        return lines;
    }

    /** The lines only in {@code expected} ("missing: ...") and only in {@code actual} ("extra: ..."). */
    public static List<String> differences(SortedSet<String> expected, SortedSet<String> actual) {
        SortedSet<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        SortedSet<String> extra = new TreeSet<>(actual);
        extra.removeAll(expected);
        return java.util.stream.Stream.concat(
                missing.stream().map(line -> "missing: " + line),
                extra.stream().map(line -> "extra:   " + line)).toList();
    }

    private static void describe(Class<?> type, String prefix, SortedSet<String> lines) {
        String kind = type.isRecord() ? "record" : type.isEnum() ? "enum" : type.isAnnotation() ? "@interface"
                : type.isInterface() ? "interface" : "class";
        int modifiers = type.getModifiers() & VISIBLE_MODIFIERS & ~Modifier.INTERFACE;
        if (type.isEnum() || type.isRecord()) {
            modifiers &= ~Modifier.FINAL; // implied
        }
        if (type.isInterface()) {
            modifiers &= ~Modifier.ABSTRACT;
        }
        StringBuilder header = new StringBuilder(prefix).append(": ")
                .append(Modifier.toString(modifiers)).append(modifiers == 0 ? "" : " ")
                .append(type.isSealed() ? "sealed " : "").append(kind);
        if (type.getGenericSuperclass() != null && !type.isEnum() && !type.isRecord()
                && type.getSuperclass() != Object.class) {
            header.append(" extends ").append(type.getGenericSuperclass().getTypeName());
        }
        if (type.getGenericInterfaces().length > 0) {
            header.append(" implements ").append(names(type.getGenericInterfaces()));
        }
        lines.add(header.toString());
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (reachable(constructor.getModifiers()) && !constructor.isSynthetic()) {
                lines.add(prefix + ": " + visibility(constructor.getModifiers()) + "new("
                        + names(constructor.getGenericParameterTypes()) + ")" + throwsClause(constructor));
            }
        }
        for (Method method : type.getDeclaredMethods()) {
            if (reachable(method.getModifiers()) && !method.isSynthetic() && !method.isBridge()) {
                int flags = method.getModifiers() & (Modifier.STATIC | Modifier.ABSTRACT);
                if (type.isInterface()) {
                    flags &= ~Modifier.ABSTRACT;
                }
                lines.add(prefix + ": " + visibility(method.getModifiers())
                        + (method.isDefault() ? "default " : "")
                        + Modifier.toString(flags) + (flags == 0 ? "" : " ")
                        + method.getGenericReturnType().getTypeName() + " " + method.getName()
                        + "(" + names(method.getGenericParameterTypes()) + ")" + throwsClause(method));
            }
        }
        for (Field field : type.getDeclaredFields()) {
            if (reachable(field.getModifiers()) && !field.isSynthetic()) {
                int flags = field.getModifiers() & (Modifier.STATIC | Modifier.FINAL);
                lines.add(prefix + ": " + visibility(field.getModifiers()) + Modifier.toString(flags) + " "
                        + field.getGenericType().getTypeName() + " " + field.getName());
            }
        }
        for (Class<?> nested : type.getDeclaredClasses()) {
            if (reachable(nested.getModifiers()) && !nested.isSynthetic()) {
                describe(nested, prefix + "." + nested.getSimpleName(), lines);
            }
        }
    }

    private static boolean reachable(int modifiers) {
        return !Modifier.isPrivate(modifiers);
    }

    private static String visibility(int modifiers) {
        return Modifier.isPublic(modifiers) ? "public " : Modifier.isProtected(modifiers) ? "protected " : "";
    }

    private static String throwsClause(Executable executable) {
        Type[] exceptions = executable.getGenericExceptionTypes();
        return exceptions.length == 0 ? "" : " throws " + Arrays.stream(exceptions).map(Type::getTypeName)
                .sorted().collect(Collectors.joining(", "));
    }

    private static String names(Type[] types) {
        return Arrays.stream(types).map(Type::getTypeName).collect(Collectors.joining(", "));
    }
}
