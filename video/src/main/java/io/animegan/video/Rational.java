package io.animegan.video;

import java.math.BigInteger;

/** An exact fraction, e.g. a frame rate of 30000/1001 or a stream time base of 1/15360. */
public record Rational(long num, long den) {

    public Rational {
        if (den <= 0) {
            throw new IllegalArgumentException("denominator must be positive: " + num + "/" + den);
        }
        long g = gcd(Math.abs(num), den);
        if (g > 1) {
            num /= g;
            den /= g;
        }
    }

    public static Rational of(long num, long den) {
        return new Rational(num, den);
    }

    public double value() {
        return (double) num / den;
    }

    public Rational invert() {
        return num < 0 ? new Rational(-den, -num) : new Rational(den, num);
    }

    /** {@code ticks} of this time base in microseconds, rounded to nearest. */
    public long toMicros(long ticks) {
        return Math.round(ticks * 1_000_000.0 * num / den);
    }

    /** Whether this rate is faster than {@code other}. */
    public boolean greaterThan(Rational other) {
        return BigInteger.valueOf(num)
                        .multiply(BigInteger.valueOf(other.den))
                        .compareTo(BigInteger.valueOf(other.num).multiply(BigInteger.valueOf(den)))
                > 0;
    }

    @Override
    public String toString() {
        return num + "/" + den;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a == 0 ? 1 : a;
    }
}
