package io.animegan.app;

import io.animegan.common.config.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Every duration option: {@link Durations#parsePositive} ({@code 900ms}, {@code 45s}, {@code 15m},
 * {@code 1h}, {@code 30d} or ISO-8601); a bad value is a usage error, not a stack trace.
 */
public final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parsePositive(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
