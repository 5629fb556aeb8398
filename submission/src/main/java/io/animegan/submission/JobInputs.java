package io.animegan.submission;

import io.animegan.common.storage.BlobNotFoundException;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.BlobTooLargeException;
import io.animegan.events.BlobRef;
import io.animegan.submission.Submitter.Refused;
import io.animegan.submission.UploadValidator.ValidUpload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A job's pictures named by object keys in the service's bucket: every key must lie under the
 * tenant's input prefix ({@link AdmissionLimits#jobInputPrefix}), checked before any storage
 * call, so the answer never tells whether another key exists; each object is stat'ed before it is
 * read (an over-size one is left out unread), counted once however often it is given, and read
 * one object at a time inside the upload budget.
 */
public final class JobInputs {

    private final BlobStore store;
    private final UploadValidator validator;
    private final UploadBudget budget;
    private final AdmissionLimits limits;
    private final long maxJobBytes;

    /** A key that passed every check before its bytes are read: as given, as stored, and its size. */
    public record StoredInput(String given, String key, long size) {}

    /** @param maxJobBytes most bytes the objects of one job may hold together */
    public JobInputs(
            BlobStore store, UploadValidator validator, UploadBudget budget, AdmissionLimits limits, long maxJobBytes) {
        this.store = store;
        this.validator = validator;
        this.budget = budget;
        this.limits = limits;
        this.maxJobBytes = maxJobBytes;
    }

    /** The tenant's objects named by {@code keys}: a missing one refuses the job, an over-size one is named in {@code refused}. */
    public List<StoredInput> check(Tenant tenant, List<String> keys, List<Refused> refused) {
        Map<String, String> unique = new LinkedHashMap<>();
        String prefix = limits.inputPrefix(tenant);
        for (String given : keys) {
            unique.putIfAbsent(keyUnder(prefix, given), given);
        }
        List<StoredInput> inputs = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, String> entry : unique.entrySet()) {
            String given = entry.getValue();
            long size =
                    store.stat(entry.getKey()).orElseThrow(() -> missing(given)).size();
            if (size > validator.maxBytes()) {
                refused.add(new Refused(
                        given,
                        "'" + given + "' is " + size + " bytes; the limit is " + validator.maxBytes() + " bytes"));
                continue;
            }
            total += size;
            inputs.add(new StoredInput(given, entry.getKey(), size));
        }
        if (total > maxJobBytes) {
            throw new ApiException(
                    UploadValidator.CONTENT_TOO_LARGE,
                    "the job's objects hold " + total + " bytes; the limit is " + maxJobBytes + " bytes per job");
        }
        return inputs;
    }

    /** One object's bytes, checked, inside the upload budget; empty (and named in {@code refused}) when bad. */
    public Optional<ValidUpload> read(StoredInput input, List<Refused> refused) {
        try (UploadBudget.Share ignored = budget.take(input.size())) {
            byte[] bytes = store.get(new BlobRef(store.bucket(), input.key()), validator.maxBytes());
            return Optional.of(validator.validate(UploadValidator.displayName(input.given()), bytes));
        } catch (BlobNotFoundException e) {
            throw missing(input.given());
        } catch (BlobTooLargeException e) {
            refused.add(new Refused(
                    input.given(), "'" + input.given() + "' is larger than " + validator.maxBytes() + " bytes"));
        } catch (ApiException e) {
            if (e.status() == 503) {
                throw e;
            }
            refused.add(new Refused(input.given(), e.getMessage()));
        }
        return Optional.empty();
    }

    /** Refuses a job none of whose pictures and clips can be converted, naming why for each. */
    public static void requireSome(boolean none, List<Refused> refused) {
        if (none) {
            throw new ApiException(
                    refused.size() == 1 ? UploadValidator.UNSUPPORTED_MEDIA_TYPE : 400,
                    "no picture or clip in the job can be converted: "
                            + String.join(
                                    "; ",
                                    refused.stream()
                                            .map(r -> r.name() + ": " + r.error())
                                            .toList()));
        }
    }

    private static ApiException missing(String given) {
        return ApiException.badRequest("no object '" + given + "' in this service's storage");
    }

    /**
     * The key a job names, as given or as {@code s3://<our bucket>/key}, when it lies under the
     * tenant's input prefix; refused otherwise, from the key alone (no storage call is made).
     */
    private String keyUnder(String prefix, String given) {
        String key = given;
        if (given.startsWith("s3://")) {
            String rest = given.substring("s3://".length());
            int slash = rest.indexOf('/');
            if (slash < 0 || !rest.substring(0, slash).equals(store.bucket())) {
                throw ApiException.badRequest("'" + given + "' is not in this service's bucket");
            }
            key = rest.substring(slash + 1);
        }
        if (key.isBlank() || key.length() > 1024 || key.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("'" + given + "' is not an object key");
        }
        boolean traversal = key.contains("..") || key.contains("//") || key.contains("\\") || key.contains("/./");
        if (traversal || !key.startsWith(prefix) || key.length() == prefix.length()) {
            throw ApiException.badRequest("key '" + given + "' is outside your input prefix " + prefix);
        }
        return key;
    }
}
