// jqwik helper: small random damage to a valid encoding, the inputs most likely to find a decoder's bugs.
package io.port6379.protocol;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

import java.util.Arrays;

final class Mutations {

    private Mutations() {
    }

    /** {@code bytes} with one byte replaced, inserted or removed, or cut short. */
    static Arbitrary<byte[]> of(byte[] bytes) {
        if (bytes.length == 0) {
            return Arbitraries.just(bytes);
        }
        Arbitrary<Integer> index = Arbitraries.integers().between(0, bytes.length - 1);
        Arbitrary<Byte> value = Arbitraries.oneOf(Arbitraries.bytes(),
                Arbitraries.of((byte) '\r', (byte) '\n', (byte) 0, (byte) '-', (byte) '9', (byte) '*', (byte) '$'));
        return Arbitraries.oneOf(
                net.jqwik.api.Combinators.combine(index, value).as((i, b) -> {
                    byte[] copy = bytes.clone();
                    copy[i] = b;
                    return copy;
                }),
                net.jqwik.api.Combinators.combine(index, value).as((i, b) -> {
                    byte[] copy = new byte[bytes.length + 1];
                    System.arraycopy(bytes, 0, copy, 0, i);
                    copy[i] = b;
                    System.arraycopy(bytes, i, copy, i + 1, bytes.length - i);
                    return copy;
                }),
                index.map(i -> {
                    byte[] copy = new byte[bytes.length - 1];
                    System.arraycopy(bytes, 0, copy, 0, i);
                    System.arraycopy(bytes, i + 1, copy, i, bytes.length - i - 1);
                    return copy;
                }),
                index.map(i -> Arrays.copyOf(bytes, i)));
    }
}
