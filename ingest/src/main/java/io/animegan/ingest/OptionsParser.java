package io.animegan.ingest;

import io.animegan.common.config.Limits;
import io.animegan.events.FaceStyle;
import io.animegan.events.Options;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns the upload form's optional fields into {@link Options}, refusing unknown values (400). */
public final class OptionsParser {

  public static final String STYLE_HAYAO = "hayao";
  public static final int DEFAULT_MAX_SIDE = 1920;
  public static final int MIN_MAX_SIDE = Limits.MIN_OUTPUT_SIDE;
  public static final int MAX_MAX_SIDE = Limits.MAX_OUTPUT_SIDE;

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
        .setFaceStyle(faceStyle(fields))
        .build();
  }

  /** Form fields of the per-region face style, all between 0 and 1. */
  static final List<String> STRENGTH_FIELDS = List.of("skin", "eyes", "brows", "lips", "hair", "glasses");
  public static final float MAX_SHARPEN = 2;

  /**
   * The face style from its form fields, the schema's defaults for those not given; null (meaning
   * all defaults) when none is given, so events of plain uploads stay as they were.
   */
  private static FaceStyle faceStyle(Map<String, List<String>> fields) {
    FaceStyle style = FaceStyle.newBuilder().build();
    boolean any = false;
    for (String name : STRENGTH_FIELDS) {
      String value = field(fields, name);
      if (value != null) {
        style.put(name, number(name, value, 1));
        any = true;
      }
    }
    String sharpen = field(fields, "sharpen");
    if (sharpen != null) {
      style.setSharpen(number("sharpen", sharpen, MAX_SHARPEN));
      any = true;
    }
    String clone = field(fields, "clone");
    if (clone != null) {
      if (!clone.equals("normal") && !clone.equals("mixed")) {
        throw ApiException.badRequest("field 'clone' must be normal or mixed");
      }
      style.setClone(clone);
      any = true;
    }
    return any ? style : null;
  }

  private static float number(String name, String value, float max) {
    float number;
    try {
      number = Float.parseFloat(value);
    } catch (NumberFormatException e) {
      number = Float.NaN;
    }
    // NaN fails both comparisons' negation below, so "nan", "infinity" and junk are all refused.
    if (!(number >= 0 && number <= max)) {
      throw ApiException.badRequest("field '" + name + "' must be a number from 0 to " + (int) max);
    }
    return number;
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
