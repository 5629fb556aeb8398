package io.animegan.submission;

import io.animegan.common.config.Limits;
import io.animegan.common.style.Style;
import io.animegan.common.style.StyleCatalogue;
import io.animegan.common.style.UnknownStyleException;
import io.animegan.common.webhook.CallbackPolicy;
import io.animegan.common.webhook.CallbackRefusedException;
import io.animegan.events.FaceStyle;
import io.animegan.events.Options;
import io.animegan.events.VideoOptions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the upload form's optional fields into {@link Options}, refusing unknown values (400).
 * {@code style} may name several styles separated by commas: one Options each, so the same
 * upload is drawn once per style.
 */
public final class OptionsParser {

    public static final int DEFAULT_MAX_SIDE = 1920;
    public static final int MIN_MAX_SIDE = Limits.MIN_OUTPUT_SIDE;
    public static final int MAX_MAX_SIDE = Limits.MAX_OUTPUT_SIDE;
    /** Bounds of the fast HD style resolution: below 512 the style loses its strokes, above 2048 it saves little. */
    public static final int MIN_STYLE_SIDE = 512;

    public static final int MAX_STYLE_SIDE = 2048;

    /** The field naming where the outcome is posted (see {@link #callbackUrl}). */
    public static final String CALLBACK_URL = "callbackUrl";

    private final StyleCatalogue catalogue;
    private final CallbackPolicy callbacks;

    public OptionsParser(StyleCatalogue catalogue) {
        this(catalogue, CallbackPolicy.STRICT);
    }

    public OptionsParser(StyleCatalogue catalogue, CallbackPolicy callbacks) {
        this.catalogue = catalogue;
        this.callbacks = callbacks;
    }

    /**
     * The request's {@value #CALLBACK_URL} as given (case kept), checked against the callback policy
     * (its host resolved now), or null when absent; a refused one is a 400 with code
     * {@value CallbackRefusedException#CODE}.
     */
    public String callbackUrl(Map<String, List<String>> fields) {
        List<String> values = fields.get(CALLBACK_URL);
        if (values == null || values.isEmpty() || values.get(0).isBlank()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiException.badRequest("field '" + CALLBACK_URL + "' given more than once");
        }
        try {
            return callbacks.check(values.get(0)).toString();
        } catch (CallbackRefusedException e) {
            throw ApiException.invalid(CallbackRefusedException.CODE, e.getMessage());
        }
    }

    /**
     * One Options per requested style, in the order asked (a style named twice counts once).
     *
     * @param fields form fields by name (values as sent); absent or blank fields take their defaults
     */
    public List<Options> parseAll(Map<String, List<String>> fields) {
        List<Style> styles = styles(field(fields, "style"));
        boolean faces = bool(fields, "faces", true);
        int maxSide = maxSide(field(fields, "maxSide"));
        String format = format(field(fields, "format"));
        boolean debug = bool(fields, "debug", false);
        Integer styleSide = styleSide(field(fields, "styleSide"));
        List<Options> all = new ArrayList<>(styles.size());
        for (Style style : styles) {
            all.add(Options.newBuilder()
                    .setStyle(style.id())
                    .setFaces(faces)
                    .setMaxSide(maxSide)
                    .setFormat(format)
                    .setDebug(debug)
                    .setFaceStyle(faceStyle(fields, style))
                    .setStyleSide(styleSide)
                    .build());
        }
        return all;
    }

    /** A clip's output frame rate cap: from 1 to this many frames per second. */
    public static final int MAX_FPS = 60;

    /**
     * One VideoOptions per requested style, as {@link #parseAll} for pictures: {@code style},
     * {@code maxSide} (at most {@code maxOutputSide}, which is also the default), {@code fps} (a cap,
     * absent: the source's rate), {@code faces} (default off), {@code temporal} ({@code on|off},
     * default on) and {@code styleSide}. Fields only pictures have are not read.
     */
    public List<VideoOptions> parseVideo(Map<String, List<String>> fields, int maxOutputSide) {
        List<Style> styles = styles(field(fields, "style"));
        int maxSide = videoMaxSide(field(fields, "maxSide"), maxOutputSide);
        Integer fps = fps(field(fields, "fps"));
        boolean faces = bool(fields, "faces", false);
        boolean temporal = temporal(field(fields, "temporal"));
        Integer styleSide = styleSide(field(fields, "styleSide"));
        List<VideoOptions> all = new ArrayList<>(styles.size());
        for (Style style : styles) {
            all.add(VideoOptions.newBuilder()
                    .setStyle(style.id())
                    .setMaxSide(maxSide)
                    .setFps(fps)
                    .setFaces(faces)
                    .setTemporal(temporal)
                    .setStyleSide(styleSide)
                    .build());
        }
        return all;
    }

    private static int videoMaxSide(String value, int maxOutputSide) {
        if (value == null) {
            return maxOutputSide;
        }
        int side = integer(value);
        if (side < MIN_MAX_SIDE || side > maxOutputSide) {
            throw ApiException.badRequest(
                    "field 'maxSide' must be an integer from " + MIN_MAX_SIDE + " to " + maxOutputSide + " for a clip");
        }
        return side;
    }

    private static Integer fps(String value) {
        if (value == null) {
            return null;
        }
        int fps = integer(value);
        if (fps < 1 || fps > MAX_FPS) {
            throw ApiException.badRequest("field 'fps' must be an integer from 1 to " + MAX_FPS);
        }
        return fps;
    }

    private static boolean temporal(String value) {
        if (value == null) {
            return true;
        }
        return switch (value) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> throw ApiException.badRequest("field 'temporal' must be on or off");
        };
    }

    /** The integer, or -1 (outside every range asked for) when it is none. */
    private static int integer(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The options of a request for one style (the first when several are named). */
    public Options parse(Map<String, List<String>> fields) {
        return parseAll(fields).get(0);
    }

    /** The styles named (ids or aliases, comma-separated), each known and available here. */
    private List<Style> styles(String value) {
        if (value == null) {
            return List.of(checkAvailable(catalogue.defaultStyle()));
        }
        Set<Style> styles = new LinkedHashSet<>();
        for (String name : value.split(",")) {
            if (name.isBlank()) {
                continue;
            }
            try {
                styles.add(checkAvailable(catalogue.resolve(name.strip())));
            } catch (UnknownStyleException e) {
                throw ApiException.badRequest(e.getMessage());
            }
        }
        if (styles.isEmpty()) {
            throw ApiException.badRequest(
                    "field 'style' names no style (known: " + String.join(", ", catalogue.ids()) + ")");
        }
        return List.copyOf(styles);
    }

    private Style checkAvailable(Style style) {
        StyleCatalogue.Availability availability = catalogue.availability(style);
        if (!availability.available()) {
            throw ApiException.badRequest("style '" + style.id() + "' is unavailable: " + availability.reason());
        }
        return style;
    }

    /** Form fields of the per-region face style, all between 0 and 1. */
    static final List<String> STRENGTH_FIELDS = List.of("skin", "eyes", "brows", "lips", "hair", "glasses");

    public static final float MAX_SHARPEN = 2;

    /**
     * The face style from its form fields, the style's defaults for those not given; null (meaning
     * the style's defaults) when none is given, so events of plain uploads stay as they were.
     */
    private static FaceStyle faceStyle(Map<String, List<String>> fields, Style forStyle) {
        FaceStyle style = forStyle.faceDefaults().faceStyle();
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
            throw ApiException.badRequest(
                    "field 'maxSide' must be an integer from " + MIN_MAX_SIDE + " to " + MAX_MAX_SIDE);
        }
        return side;
    }

    /** Fast HD's style resolution, or null (absent: draw at full resolution). */
    private static Integer styleSide(String value) {
        if (value == null) {
            return null;
        }
        int side;
        try {
            side = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            side = -1;
        }
        if (side < MIN_STYLE_SIDE || side > MAX_STYLE_SIDE) {
            throw ApiException.badRequest(
                    "field 'styleSide' must be an integer from " + MIN_STYLE_SIDE + " to " + MAX_STYLE_SIDE);
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
