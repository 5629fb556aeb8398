package io.animegan.app.batch;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a batch has done so far, kept beside its results as {@value #FILE_NAME}: per photo (by
 * the SHA-256 of its bytes and the options), the image id the service gave it, its job, its state
 * and its result file. A rerun reads it to skip finished photos and to pick up submitted ones.
 */
final class Manifest {

    static final String FILE_NAME = ".animegan-batch.json";
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    enum State {
        PENDING,
        DONE,
        FAILED
    }

    /**
     * @param name the photo's file name when it was last seen
     * @param result the result's file name in the output, once done
     * @param error why it failed, once failed
     */
    record Entry(String name, String imageId, String job, State state, String result, String error) {

        Entry done(String resultName) {
            return new Entry(name, imageId, job, State.DONE, resultName, null);
        }

        Entry failed(String why) {
            return new Entry(name, imageId, job, State.FAILED, null, why);
        }
    }

    record Stored(int version, Map<String, Entry> photos) {}

    private final BatchLocation output;
    private final Map<String, Entry> photos;

    private Manifest(BatchLocation output, Map<String, Entry> photos) {
        this.output = output;
        this.photos = photos;
    }

    static Manifest load(BatchLocation output) throws IOException {
        byte[] bytes = output.readIfExists(FILE_NAME);
        Map<String, Entry> photos = new TreeMap<>();
        if (bytes != null) {
            Stored stored = JSON.readValue(bytes, Stored.class);
            if (stored.version() > VERSION) {
                throw new IOException(FILE_NAME + " was written by a newer version (v" + stored.version() + ")");
            }
            if (stored.photos() != null) {
                photos.putAll(stored.photos());
            }
        }
        return new Manifest(output, photos);
    }

    Entry get(String hash) {
        return photos.get(hash);
    }

    /** Records the entry and writes the manifest at once, so an interruption loses nothing recorded. */
    synchronized void put(String hash, Entry entry) throws IOException {
        photos.put(hash, entry);
        output.write(FILE_NAME, JSON.writeValueAsBytes(new Stored(VERSION, photos)), "application/json");
    }

    synchronized void remove(String hash) throws IOException {
        photos.remove(hash);
        output.write(FILE_NAME, JSON.writeValueAsBytes(new Stored(VERSION, photos)), "application/json");
    }

    synchronized Map<String, Entry> snapshot() {
        return Map.copyOf(photos);
    }
}
