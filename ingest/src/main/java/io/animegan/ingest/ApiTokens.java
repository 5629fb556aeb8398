package io.animegan.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The bearer tokens that open the API. Tokens are kept as SHA-256 digests and compared with
 * {@link MessageDigest#isEqual} against every configured one, so neither a token's content nor
 * its length shows in the time an answer takes.
 */
final class ApiTokens {

  private static final String BEARER = "bearer ";

  private final List<byte[]> digests;

  ApiTokens(List<String> tokens) {
    this.digests = tokens.stream().map(ApiTokens::sha256).toList();
  }

  boolean required() {
    return !digests.isEmpty();
  }

  /**
   * The token presented in an {@code Authorization: Bearer} header when it is one of ours,
   * otherwise empty.
   */
  Optional<String> valid(String authorization) {
    if (authorization == null || authorization.length() <= BEARER.length()
        || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
      return Optional.empty();
    }
    String token = authorization.substring(BEARER.length()).strip();
    byte[] presented = sha256(token);
    boolean match = false;
    for (byte[] digest : digests) {
      match |= MessageDigest.isEqual(digest, presented);
    }
    return match ? Optional.of(token) : Optional.empty();
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
