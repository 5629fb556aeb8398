package io.animegan.submission;

import io.animegan.common.webhook.CallbackPolicy;
import java.util.List;

/**
 * What one request, one tenant and all requests together may use, so that neither memory nor
 * storage can be exhausted by one client, whichever way the work arrives.
 *
 * @param jobInputPrefix where a tenant's job keys must lie; {@value #TENANT} becomes the tenant id
 * @param maxRequestBytes most bytes one upload request may carry, and most bytes one job may read
 * @param uploadBudgetBytes bytes of uploads all requests together may hold in memory at once; 0
 *     means a quarter of the heap
 * @param picturesPerMinute pictures each tenant may submit per minute (each style counts); 0 = off
 * @param maxStoredBytes bytes of originals each tenant may keep stored (each style counts); 0 = off
 * @param callbacks which callback URLs a request may name
 */
public record AdmissionLimits(
        String jobInputPrefix,
        long maxRequestBytes,
        long uploadBudgetBytes,
        long picturesPerMinute,
        long maxStoredBytes,
        CallbackPolicy callbacks) {

    public static final String TENANT = "{tenant}";
    public static final String DEFAULT_JOB_INPUT_PREFIX = "tenants/" + TENANT + "/uploads/";
    public static final long DEFAULT_MAX_REQUEST_BYTES = 100L * 1024 * 1024;
    public static final long DEFAULT_PICTURES_PER_MINUTE = 600;
    public static final long DEFAULT_MAX_STORED_BYTES = 10L * 1024 * 1024 * 1024;
    /** Where the pipeline keeps its own objects: never a tenant's input. */
    static final List<String> RESERVED_PREFIXES = List.of("inputs/", "work/", "results/", "styles/", "jobs/");

    public AdmissionLimits {
        checkPrefix(jobInputPrefix);
        if (maxRequestBytes < 1 || uploadBudgetBytes < 0 || picturesPerMinute < 0 || maxStoredBytes < 0) {
            throw new IllegalArgumentException("limits must not be negative (0 turns a quota off): " + maxRequestBytes
                    + ", " + uploadBudgetBytes + ", " + picturesPerMinute + ", " + maxStoredBytes);
        }
        callbacks = callbacks == null ? CallbackPolicy.STRICT : callbacks;
    }

    public static AdmissionLimits defaults() {
        return new AdmissionLimits(
                DEFAULT_JOB_INPUT_PREFIX,
                DEFAULT_MAX_REQUEST_BYTES,
                0,
                DEFAULT_PICTURES_PER_MINUTE,
                DEFAULT_MAX_STORED_BYTES,
                CallbackPolicy.STRICT);
    }

    public AdmissionLimits withQuotas(long pictures, long storedBytes) {
        return new AdmissionLimits(
                jobInputPrefix, maxRequestBytes, uploadBudgetBytes, pictures, storedBytes, callbacks);
    }

    public AdmissionLimits withCallbacks(CallbackPolicy policy) {
        return new AdmissionLimits(
                jobInputPrefix, maxRequestBytes, uploadBudgetBytes, picturesPerMinute, maxStoredBytes, policy);
    }

    /** The job key prefix of {@code tenant}. */
    public String inputPrefix(Tenant tenant) {
        return jobInputPrefix.replace(TENANT, tenant.id());
    }

    /** Most bytes one request may carry: {@link #maxRequestBytes}, at most {@link #filesBytes}. */
    public long requestBytes(long maxUploadBytes, int maxFiles) {
        return Math.min(maxRequestBytes, filesBytes(maxUploadBytes, maxFiles));
    }

    /** Bytes of {@code maxFiles} files at their limit, plus a MiB of form fields; more gets 413 up front. */
    public static long filesBytes(long maxUploadBytes, int maxFiles) {
        long oneMiB = 1024L * 1024;
        return maxUploadBytes > (Long.MAX_VALUE - oneMiB) / maxFiles
                ? Long.MAX_VALUE
                : maxUploadBytes * maxFiles + oneMiB;
    }

    /** The in-memory upload budget: as configured, or a quarter of the heap (at least 32 MiB). */
    public long budgetBytes() {
        return uploadBudgetBytes > 0
                ? uploadBudgetBytes
                : Math.max(32L << 20, Runtime.getRuntime().maxMemory() / 4);
    }

    /** A prefix of one tenant only: it names the tenant, and lies outside the pipeline's own objects. */
    private static void checkPrefix(String prefix) {
        if (prefix == null
                || !prefix.contains(TENANT)
                || !prefix.endsWith("/")
                || prefix.startsWith("/")
                || prefix.contains("..")
                || prefix.contains("//")
                || prefix.contains("\\")
                || RESERVED_PREFIXES.stream().anyMatch(prefix::startsWith)) {
            throw new IllegalArgumentException(
                    "the job input prefix must contain " + TENANT + ", end with '/', and not " + "start with '/', "
                            + String.join(", ", RESERVED_PREFIXES) + " nor contain '..': '" + prefix + "'");
        }
    }
}
