package io.animegan.common.style;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.animegan.common.onnx.ModelNotFoundException;
import io.animegan.events.FaceStyle;
import io.animegan.events.Options;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every style the service knows, with which of them this installation can run. The catalogue
 * ships as a resource ({@code styles.json} beside this class); an operator adds or changes styles
 * with a {@code styles.json} of the same shape in the models directory, whose entries are merged
 * into the built-in ones by id (field by field) and may also set {@code default}.
 *
 * <p>A style is available when one of its model files is in the models directory; which file is
 * tried first follows the {@link Precision}.
 */
public final class StyleCatalogue {

    public static final String RESOURCE = "styles.json";
    /** The operator's additions, in the models directory. */
    public static final String OVERRIDE_FILE = "styles.json";

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private final String defaultId;
    private final List<Style> styles;
    private final Map<String, Availability> availability;
    private final Path modelsDir;

    private StyleCatalogue(
            String defaultId, List<Style> styles, Map<String, Availability> availability, Path modelsDir) {
        this.defaultId = defaultId;
        this.styles = List.copyOf(styles);
        this.availability = Map.copyOf(availability);
        this.modelsDir = modelsDir;
    }

    /** Whether a style can run here, and with which model file. */
    public record Availability(boolean available, String modelFile, String reason) {}

    /**
     * @param generatorModel {@code int8} (the default when null or blank) or {@code float}: which
     *     variant of a style that has both is used; a model file name also works (see {@link Precision#parse})
     */
    public static StyleCatalogue load(Path modelsDir, String generatorModel) {
        ObjectNode merged = (ObjectNode) readBuiltIn();
        Path override = modelsDir.resolve(OVERRIDE_FILE);
        if (Files.isRegularFile(override)) {
            try {
                merge(merged, JSON.readTree(override.toFile()));
            } catch (IOException e) {
                throw new IllegalStateException(
                        "cannot read the style override file " + override + ": " + e.getMessage(), e);
            }
        }
        return build(merged, modelsDir, generatorModel);
    }

    /** The shipped catalogue alone, every style unavailable (no models directory): for its descriptions and defaults. */
    public static StyleCatalogue builtIn() {
        return build((ObjectNode) readBuiltIn(), null, null);
    }

    private static StyleCatalogue build(ObjectNode merged, Path modelsDir, String generatorModel) {
        List<Style> styles = new ArrayList<>();
        for (JsonNode node : merged.withArray("styles")) {
            try {
                styles.add(JSON.treeToValue(node, Style.class));
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalStateException("bad style entry " + node + ": " + e.getMessage(), e);
            }
        }
        String defaultId = merged.path("default")
                .asText(styles.isEmpty() ? "" : styles.get(0).id());
        if (styles.stream().noneMatch(s -> s.id().equals(defaultId))) {
            throw new IllegalStateException("the default style '" + defaultId + "' is not in the catalogue");
        }
        Precision precision = Precision.parse(generatorModel, styles);
        Map<String, Availability> availability = new LinkedHashMap<>();
        for (Style style : styles) {
            List<String> candidates = precision.candidates(style, style.id().equals(defaultId));
            availability.put(
                    style.id(),
                    modelsDir == null
                            ? new Availability(false, candidates.get(0), "no models directory")
                            : check(modelsDir, candidates));
        }
        return new StyleCatalogue(defaultId, styles, availability, modelsDir);
    }

    /**
     * For a process that only accepts requests (ingest): where the models directory is not mounted
     * at all, it cannot tell, so every style counts as available and stylize-stage refuses what it
     * cannot draw (an ImageFailed event). Where the directory is there, as {@link #load}.
     */
    public static StyleCatalogue loadForRequests(Path modelsDir, String generatorModel) {
        StyleCatalogue catalogue = load(modelsDir, generatorModel);
        if (Files.isDirectory(modelsDir)) {
            return catalogue;
        }
        Map<String, Availability> all = new LinkedHashMap<>();
        catalogue.availability.forEach((id, a) -> all.put(id, new Availability(true, a.modelFile(), null)));
        return new StyleCatalogue(catalogue.defaultId, catalogue.styles, all, modelsDir);
    }

    private static JsonNode readBuiltIn() {
        try (InputStream in = StyleCatalogue.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("style catalogue resource missing: " + RESOURCE);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void merge(ObjectNode base, JsonNode override) {
        if (override.hasNonNull("default")) {
            base.set("default", override.get("default"));
        }
        ArrayNode styles = base.withArray("styles");
        for (JsonNode entry : override.path("styles")) {
            String id = entry.path("id").asText();
            ObjectNode existing = null;
            for (JsonNode style : styles) {
                if (style.path("id").asText().equals(id)) {
                    existing = (ObjectNode) style;
                }
            }
            if (existing != null) {
                existing.setAll((ObjectNode) entry);
            } else {
                styles.add(entry);
            }
        }
    }

    private static Availability check(Path modelsDir, List<String> candidates) {
        for (String file : candidates) {
            if (Files.isRegularFile(modelsDir.resolve(file))) {
                return new Availability(true, file, null);
            }
        }
        return new Availability(
                false,
                candidates.get(0),
                "model file '" + String.join("' or '", candidates) + "' is not in the models directory");
    }

    public Style defaultStyle() {
        return find(defaultId).orElseThrow();
    }

    public List<Style> styles() {
        return styles;
    }

    public List<String> ids() {
        return styles.stream().map(Style::id).toList();
    }

    public Optional<Style> find(String idOrAlias) {
        if (idOrAlias == null) {
            return Optional.empty();
        }
        return styles.stream()
                .filter(s -> s.id().equalsIgnoreCase(idOrAlias))
                .findFirst()
                .or(() -> styles.stream().filter(s -> s.answersTo(idOrAlias)).findFirst());
    }

    /** The style by id or alias. */
    public Style resolve(String idOrAlias) {
        return find(idOrAlias).orElseThrow(() -> new UnknownStyleException(idOrAlias, ids()));
    }

    public Availability availability(Style style) {
        return availability.get(style.id());
    }

    public List<Style> available() {
        return styles.stream().filter(s -> availability(s).available()).toList();
    }

    public Path modelsDir() {
        return modelsDir;
    }

    /** Start-up check of a process that runs generators: without the default style it cannot. */
    public StyleCatalogue requireDefault() {
        Availability a = availability(defaultStyle());
        if (!a.available()) {
            throw new ModelNotFoundException(a.modelFile(), modelsDir);
        }
        return this;
    }

    /**
     * The face strengths a picture is blended with: the request's own, else the style's defaults
     * laid over the schema's. (The request's own were completed with the style's defaults at ingest.)
     */
    public FaceStyle faceStyle(Options options) {
        if (options.getFaceStyle() != null) {
            return options.getFaceStyle();
        }
        return find(options.getStyle())
                .map(s -> s.faceDefaults().faceStyle())
                .orElseGet(() -> FaceDefaults.NONE.faceStyle());
    }

    /** Which model file of a style is tried first. */
    public record Precision(boolean int8, String defaultModelFile) {

        /**
         * {@code int8} (or blank) prefers int8 variants, {@code float} the float models. A model file
         * name (the older form of the option) names the precision when it is a catalogue file, and
         * otherwise replaces the default style's model.
         */
        public static Precision parse(String value, List<Style> styles) {
            if (value == null || value.isBlank() || value.equalsIgnoreCase("int8")) {
                return new Precision(true, null);
            }
            if (value.equalsIgnoreCase("float")) {
                return new Precision(false, null);
            }
            if (styles.stream().anyMatch(s -> value.equals(s.int8Model()))) {
                return new Precision(true, null);
            }
            if (styles.stream().anyMatch(s -> value.equals(s.model()))) {
                return new Precision(false, null);
            }
            if (value.endsWith(".onnx")) {
                return new Precision(true, value);
            }
            throw new IllegalArgumentException(
                    "generator model must be int8, float or a model file name, not '" + value + "'");
        }

        List<String> candidates(Style style, boolean isDefault) {
            if (isDefault && defaultModelFile != null) {
                return List.of(defaultModelFile);
            }
            List<String> files = new ArrayList<>();
            if (style.int8Model() != null && int8) {
                files.add(style.int8Model());
            }
            files.add(style.model());
            if (style.int8Model() != null && !int8) {
                files.add(style.int8Model());
            }
            return files;
        }
    }
}
