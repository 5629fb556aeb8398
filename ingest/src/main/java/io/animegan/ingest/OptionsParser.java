package io.animegan.ingest;

import io.animegan.events.Options;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns the upload form's optional fields into {@link Options}, refusing unknown values (400). */
public final class OptionsParser {

  public static final String STYLE_HAYAO = "hayao";
  public static final int DEFAULT_MAX_SIDE = 1920;
  public static final int MIN_MAX_SIDE = 64;
  public static final int MAX_MAX_SIDE = 4096;

  private OptionsParser() {}

  /** @param fields form fields by name (values as sent); absent or blank fields take their defaults */
  public static Options parse(Map<String, List<String>> fields) {
    String style = field(fields, "style");
    if (style != null && !style.equals(STYLE_HAYAO)) {
      throw ApiException.badRequest("unknown style '" + style + "' (known: " + STYLE_HAYAO + ")");
    }
    return Options.newBuilder()
        .setStyle(STYLE_HAYAO)
        .setFaces(bool(fields, "faces", true))
        .setMaxSide(maxSide(field(fields, "maxSide")))
        .setFormat(format(field(fields, "format")))
        .setDebug(bool(fields, "debug", false))
        .build();
  }

  private static String field(Map<String, List<String>> fields, String name) {
    List<String> values = fields.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw ApiException.badRequest("field '" + name + "' given more than once");
    }
    String value = values.get(0).trim().toLowerCase(Locale.ROOT);
    return value.isEmpty() ? null : value;
  }

  private static boolean bool(Map<String, List<String>> fields, String name, boolean fallback) {
    String value = field(fields, name);
    if (value == null) {
      return fallback;
    }
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw ApiException.badRequest("field '" + name + "' must be true or false");
    };
  }

  private static int maxSide(String value) {
    if (value == null) {
      return DEFAULT_MAX_SIDE;
    }
    int side;
    try {
      side = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      side = -1;
    }
    if (side < MIN_MAX_SIDE || side > MAX_MAX_SIDE) {
      throw ApiException.badRequest("field 'maxSide' must be an integer from " + MIN_MAX_SIDE + " to " + MAX_MAX_SIDE);
    }
    return side;
  }

  private static String format(String value) {
    if (value == null) {
      return "png";
    }
    return switch (value) {
      case "png" -> "png";
      case "jpeg", "jpg" -> "jpeg";
      default -> throw ApiException.badRequest("field 'format' must be png or jpeg");
    };
  }
}
