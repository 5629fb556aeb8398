package io.animegan.submission;

import io.animegan.common.config.PipelineConfig;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.style.StyleCatalogue;
import io.animegan.status.StatusStore;

/**
 * Everything that accepts work, made once per service for whichever front receives it: the styles
 * and options a request may ask for, the checks on its files, admission (memory budget and the
 * tenants' quotas), the submitter, a job's stored inputs and the style thumbnails.
 */
public record Submission(
        StyleCatalogue styles,
        OptionsParser options,
        UploadValidator validator,
        UploadBudget budget,
        TenantQuotas quotas,
        Submitter submitter,
        JobInputs jobInputs,
        StyleThumbnails thumbnails)
        implements AutoCloseable {

    /**
     * @param statuses the status store, for the tenants' stored bytes and the thumbnails' progress
     * @param maxUploadBytes largest accepted file
     * @param maxRequestBytes most bytes one request, or the objects of one job, may carry
     */
    public static Submission start(
            PipelineConfig config,
            BlobStore store,
            StatusStore statuses,
            AdmissionLimits limits,
            long maxUploadBytes,
            long maxRequestBytes) {
        Submitter submitter = new Submitter(
                store,
                config.bootstrapServers(),
                config.kafkaClient(),
                config.topics().submitted());
        try {
            StyleCatalogue styles = StyleCatalogue.loadForRequests(config.modelsDir(), config.generatorModel());
            UploadValidator validator = new UploadValidator(maxUploadBytes);
            UploadBudget budget = new UploadBudget(limits.budgetBytes());
            return new Submission(
                    styles,
                    new OptionsParser(styles, limits.callbacks()),
                    validator,
                    budget,
                    TenantQuotas.of(limits, statuses),
                    submitter,
                    new JobInputs(store, validator, budget, limits, maxRequestBytes),
                    new StyleThumbnails(submitter, statuses, store, validator));
        } catch (RuntimeException | Error e) {
            submitter.close();
            throw e;
        }
    }

    @Override
    public void close() {
        thumbnails.close();
        submitter.close();
    }
}
