// A place for a concern's own state on a kernel object (the server, a client), without the kernel naming its type.
package io.port6379.server;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Redis keeps every concern's per-client state in one {@code client} struct (the MULTI queue, the channels, the
 * ACL user) and every concern's global state in {@code server}. Here the kernel's {@link Client} and
 * {@link ServerContext} hold it in slots: a concern declares a slot once, {@code static final Slot<Transaction>
 * SLOT = Slot.named("transaction", Transaction::new)}, and reads its state with {@code client.get(SLOT)}. So the
 * kernel compiles without the concerns, and the state sits next to the rules that use it. A read is an array
 * index and a cast, cheap enough for the path of every command.
 */
public final class Slot<T> {

    private static final AtomicInteger COUNT = new AtomicInteger();

    private final String name;
    private final int index = COUNT.getAndIncrement();
    private final Supplier<T> initial;

    private Slot(String name, Supplier<T> initial) {
        this.name = name;
        this.initial = initial;
    }

    /** A slot whose value is created by {@code initial} on the first {@link Slots#get}. */
    public static <T> Slot<T> named(String name, Supplier<T> initial) {
        return new Slot<>(name, initial);
    }

    /** A slot that holds what {@link Slots#set} puts in it, and nothing before. */
    public static <T> Slot<T> named(String name) {
        return new Slot<>(name, null);
    }

    @Override
    public String toString() {
        return name;
    }

    /** The slots of one kernel object; not thread-safe, like the state it holds (guarded by the execution lock). */
    static final class Slots {
        private Object[] values = new Object[8];

        @SuppressWarnings("unchecked")
        <T> T get(Slot<T> slot) {
            Object value = slot.index < values.length ? values[slot.index] : null;
            if (value == null) {
                if (slot.initial == null) {
                    throw new IllegalStateException("nothing in slot " + slot);
                }
                value = slot.initial.get();
                set(slot, (T) value);
            }
            return (T) value;
        }

        @SuppressWarnings("unchecked")
        <T> T peek(Slot<T> slot) {
            return slot.index < values.length ? (T) values[slot.index] : null;
        }

        <T> void set(Slot<T> slot, T value) {
            if (slot.index >= values.length) {
                values = Arrays.copyOf(values, Math.max(slot.index + 1, values.length * 2));
            }
            values[slot.index] = value;
        }
    }
}
