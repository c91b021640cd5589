// AGGREGATE SUM|MIN|MAX of ZUNION/ZINTER: how scores of the same member in several inputs combine.
package io.port6379.datastructures;

/** How ZUNION and ZINTER combine the (weighted) scores of one member found in several inputs. */
public enum Aggregate {
    SUM, MIN, MAX;

    // tag::aggregate[]
    /**
     * Combines an accumulated score with one more, as {@code zunionInterAggregate}. A sum of +inf and -inf is
     * NaN in IEEE arithmetic; Redis makes it 0. With MIN/MAX a NaN operand never wins a comparison.
     */
    double combine(double accumulated, double value) {
        return switch (this) {
            case SUM -> {
                double sum = accumulated + value;
                yield Double.isNaN(sum) ? 0.0 : sum;
            }
            case MIN -> value < accumulated ? value : accumulated;
            case MAX -> value > accumulated ? value : accumulated;
        };
    }
    // end::aggregate[]
}
