package io.animegan.status;

/**
 * What {@link JobLinkProcessor} remembers of a picture in {@link StatusTopology#IMAGE_JOBS}: either
 * the job its submission named, or a final outcome read before that submission. Stored in the
 * same line-separated text as before this type existed ({@code <job>\n<size>\n<stored at>}, or
 * {@code !<outcome>\n<at>\n<stored at>}), so existing stores read unchanged; only this type parses it.
 */
sealed interface ImageJobLink {

  /** Prefix of a remembered final outcome whose submission has not been read yet. */
  String EARLY = "!";

  /** Wall-clock time the entry was stored; retention counts from it. */
  long storedAtMs();

  String encode();

  /** The picture's submission named this job. */
  record Linked(String jobId, int jobSize, long storedAtMs) implements ImageJobLink {
    @Override
    public String encode() {
      return jobId + "\n" + jobSize + "\n" + storedAtMs;
    }
  }

  /** The picture finished ({@code outcome} at {@code atMs}) before its submission was read. */
  record Early(String outcome, long atMs, long storedAtMs) implements ImageJobLink {
    @Override
    public String encode() {
      return EARLY + outcome + "\n" + atMs + "\n" + storedAtMs;
    }
  }

  static ImageJobLink parse(String stored) {
    boolean early = stored.startsWith(EARLY);
    String[] parts = (early ? stored.substring(EARLY.length()) : stored).split("\n");
    long storedAt = Long.parseLong(parts[2]);
    return early ? new Early(parts[0], Long.parseLong(parts[1]), storedAt)
        : new Linked(parts[0], Integer.parseInt(parts[1]), storedAt);
  }
}
