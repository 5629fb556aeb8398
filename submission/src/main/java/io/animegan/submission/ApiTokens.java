package io.animegan.submission;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The bearer tokens that open the API, each belonging to a tenant. A configured entry is
 * {@code tenant:token}, or a bare token of tenant {@link Tenant#DEFAULT}; the first colon
 * separates the two. Tokens are kept as SHA-256 digests and compared with
 * {@link MessageDigest#isEqual} against every configured one, so neither a token's content nor
 * its length shows in the time an answer takes.
 */
public final class ApiTokens {

    private static final String BEARER = "bearer ";

    private record Entry(Tenant tenant, byte[] digest) {}

    private final List<Entry> entries;

    public ApiTokens(List<String> configured) {
        this.entries = configured.stream().map(ApiTokens::entry).toList();
    }

    private static Entry entry(String line) {
        int colon = line.indexOf(':');
        Tenant tenant =
                colon < 0 ? Tenant.DEFAULT : new Tenant(line.substring(0, colon).strip());
        String token = colon < 0 ? line : line.substring(colon + 1).strip();
        if (token.isEmpty()) {
            throw new IllegalArgumentException("tenant " + tenant.id() + " has an empty API token");
        }
        return new Entry(tenant, sha256(token));
    }

    public boolean required() {
        return !entries.isEmpty();
    }

    /**
     * The tenant of the token presented in an {@code Authorization: Bearer} header when it is one
     * of ours, otherwise empty.
     */
    public Optional<Tenant> tenantOf(String authorization) {
        if (authorization == null
                || authorization.length() <= BEARER.length()
                || !authorization
                        .substring(0, BEARER.length())
                        .toLowerCase(Locale.ROOT)
                        .equals(BEARER)) {
            return Optional.empty();
        }
        byte[] presented = sha256(authorization.substring(BEARER.length()).strip());
        Tenant found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), presented)) {
                found = entry.tenant();
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
