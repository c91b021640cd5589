// Model-based property of the string operations: random sequences agree with a map of byte arrays.
package io.port6379.datastructures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class StringsProperties {

    sealed interface Op permits Set, Append, SetRange, GetRange, IncrBy, Strlen, GetDel {
    }

    record Set(int key, String value) implements Op {
    }

    record Append(int key, String suffix) implements Op {
    }

    record SetRange(int key, long offset, String value) implements Op {
    }

    record GetRange(int key, long start, long end) implements Op {
    }

    record IncrBy(int key, long delta) implements Op {
    }

    record Strlen(int key) implements Op {
    }

    record GetDel(int key) implements Op {
    }

    @Provide
    Arbitrary<Op> operations() {
        Arbitrary<Integer> key = Arbitraries.integers().between(0, 3);
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.strings().withChars("ab0").ofMaxLength(6),
                Arbitraries.longs().between(-20, 20).map(String::valueOf),
                Arbitraries.of("9223372036854775807", "-9223372036854775808", "01", "+1", " 1"));
        Arbitrary<Long> index = Arbitraries.longs().between(-10, 10);
        Arbitrary<Long> delta = Arbitraries.oneOf(Arbitraries.longs().between(-5, 5),
                Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE + 1));
        return Arbitraries.oneOf(
                Combinators.combine(key, text).as(Set::new),
                Combinators.combine(key, text).as(Append::new),
                Combinators.combine(key, index, text).as(SetRange::new),
                Combinators.combine(key, index, index).as(GetRange::new),
                Combinators.combine(key, delta).as(IncrBy::new),
                key.map(Strlen::new),
                key.map(GetDel::new));
    }

    private static Bytes key(int k) {
        return Bytes.of("s" + k);
    }

    /**
     * Law: the string operations on a keyspace agree with a map of byte arrays whose operations are written from
     * the Redis documentation (with Redis 7.0's GETRANGE clamping), including the errors.
     */
    @Property(tries = 500)
    void stringOperationsAgreeWithAMapOfByteArrays(@ForAll @Size(max = 60) List<@From("operations") Op> ops) {
        Keyspace keyspace = new Keyspace(new FakeClock(0));
        Map<Integer, byte[]> model = new HashMap<>();
        for (Op op : ops) {
            switch (op) {
                case Set s -> {
                    Strings.set(keyspace, key(s.key()), s.value().getBytes(), Strings.SetOptions.PLAIN);
                    model.put(s.key(), s.value().getBytes());
                }
                case Append a -> {
                    byte[] old = model.getOrDefault(a.key(), new byte[0]);
                    byte[] grown = Arrays.copyOf(old, old.length + a.suffix().length());
                    System.arraycopy(a.suffix().getBytes(), 0, grown, old.length, a.suffix().length());
                    model.put(a.key(), grown);
                    assertEquals(grown.length, Strings.append(keyspace, key(a.key()), a.suffix().getBytes()));
                }
                case SetRange r -> {
                    if (r.offset() < 0) {
                        assertThrows(RedisException.class,
                                () -> Strings.setRange(keyspace, key(r.key()), r.offset(), r.value().getBytes()));
                    } else {
                        byte[] old = model.get(r.key());
                        byte[] value = r.value().getBytes();
                        if (value.length > 0) {
                            byte[] base = old == null ? new byte[0] : old;
                            byte[] result = Arrays.copyOf(base, (int) Math.max(base.length, r.offset() + value.length));
                            System.arraycopy(value, 0, result, (int) r.offset(), value.length);
                            model.put(r.key(), result);
                        }
                        long expected = model.containsKey(r.key()) ? model.get(r.key()).length : 0;
                        assertEquals(expected, Strings.setRange(keyspace, key(r.key()), r.offset(), value));
                    }
                }
                case GetRange g -> assertArrayEquals(modelRange(model.get(g.key()), g.start(), g.end()),
                        Strings.getRange(keyspace, key(g.key()), g.start(), g.end()));
                case IncrBy i -> {
                    byte[] old = model.get(i.key());
                    String text = old == null ? "0" : new String(old);
                    boolean integer = text.matches("0|-?[1-9][0-9]*") && new BigInteger(text).bitLength() < 64;
                    BigInteger sum = integer ? new BigInteger(text).add(BigInteger.valueOf(i.delta())) : null;
                    if (!integer) {
                        assertEquals("ERR value is not an integer or out of range", assertThrows(RedisException.class,
                                () -> Strings.incrBy(keyspace, key(i.key()), i.delta())).getMessage());
                    } else if (sum.bitLength() >= 64) {
                        assertEquals("ERR increment or decrement would overflow", assertThrows(RedisException.class,
                                () -> Strings.incrBy(keyspace, key(i.key()), i.delta())).getMessage());
                    } else {
                        assertEquals(sum.longValueExact(), Strings.incrBy(keyspace, key(i.key()), i.delta()));
                        model.put(i.key(), sum.toString().getBytes());
                    }
                }
                case Strlen s -> assertEquals(model.containsKey(s.key()) ? model.get(s.key()).length : 0,
                        Strings.strlen(keyspace, key(s.key())));
                case GetDel g -> assertArrayEquals(model.remove(g.key()), Strings.getDel(keyspace, key(g.key())));
            }
            for (int k = 0; k < 4; k++) {
                assertArrayEquals(model.get(k), Strings.get(keyspace, key(k)));
            }
        }
    }

    /** GETRANGE from its documentation, plus Redis 7.0's clamping of an end before the start of the string. */
    private static byte[] modelRange(byte[] value, long start, long end) {
        if (value == null || value.length == 0 || (start < 0 && end < 0 && start > end)) {
            return new byte[0];
        }
        int n = value.length;
        long from = Math.max(0, start < 0 ? n + start : start);
        long to = Math.min(n - 1, Math.max(0, end < 0 ? n + end : end));
        return from > to ? new byte[0] : Arrays.copyOfRange(value, (int) from, (int) to + 1);
    }
}
