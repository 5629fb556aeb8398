package io.animegan.webhook;

/**
 * What a submission tells webhook-stage about a picture or a job: where to call back (null: no
 * webhook asked for) and what only the submission knows, the style asked for and the job.
 */
record Callback(String url, String style, String jobId) {}
