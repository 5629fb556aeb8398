package io.animegan.ingest;

import io.animegan.submission.ApiException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of a stored object a request asks for with an HTTP {@code Range} header (RFC 9110), so a
 * {@code <video>} can seek without loading the whole clip: one range, {@code bytes=a-b},
 * {@code bytes=a-} or {@code bytes=-n}. No header, another unit or several ranges get the whole
 * object (a server may ignore a Range it does not support); a range starting past the end is
 * refused with 416.
 *
 * @param partial whether the answer is 206 with {@code Content-Range}
 */
record ByteRange(long start, long length, long total, boolean partial) {

    private static final Pattern ONE_RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    static ByteRange of(String header, long total) {
        if (header == null) {
            return whole(total);
        }
        Matcher m = ONE_RANGE.matcher(header.strip().toLowerCase(Locale.ROOT));
        if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
            return whole(total);
        }
        long start;
        long end;
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                start = Math.max(0, total - suffix);
                end = total - 1;
                if (suffix == 0) {
                    throw unsatisfiable(total);
                }
            } else {
                start = Long.parseLong(m.group(1));
                end = m.group(2).isEmpty() ? total - 1 : Math.min(total - 1, Long.parseLong(m.group(2)));
            }
        } catch (NumberFormatException e) {
            return whole(total); // digits beyond a long: not a range this object can have
        }
        if (start >= total || end < start) {
            throw unsatisfiable(total);
        }
        return new ByteRange(start, end - start + 1, total, true);
    }

    private static ByteRange whole(long total) {
        return new ByteRange(0, total, total, false);
    }

    private static ApiException unsatisfiable(long total) {
        return new ApiException(416, "the range asked for is outside the " + total + " bytes of the clip");
    }

    long end() {
        return start + length - 1;
    }

    String contentRange() {
        return "bytes " + start + "-" + end() + "/" + total;
    }
}
