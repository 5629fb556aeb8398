package io.animegan.webhook;

/**
 * What a submission tells webhook-stage about a picture, clip or job: where to call back (null: no
 * webhook asked for), whose it is (which secret signs it) and what only the submission knows, the
 * style asked for and the job.
 */
record Callback(String url, String tenant, String style, String jobId) {}
