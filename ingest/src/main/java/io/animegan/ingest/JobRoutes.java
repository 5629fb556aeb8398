package io.animegan.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.animegan.common.storage.BlobNotFoundException;
import io.animegan.common.storage.BlobStore;
import io.animegan.events.BlobRef;
import io.animegan.events.Options;
import io.animegan.ingest.ImageRoutes.Refused;
import io.animegan.ingest.ImageRoutes.Upload;
import io.animegan.ingest.Submitter.Accepted;
import io.animegan.ingest.UploadValidator.ValidUpload;
import io.animegan.ingest.status.JobStatus;
import io.animegan.ingest.status.StatusService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Jobs: several pictures submitted as one, followed and downloaded together. A job's progress is
 * folded by the status app from the pictures' events (see {@code io.animegan.ingest.status.JobFoldProcessor}).
 * <ul>
 *   <li>{@code POST /api/jobs}: multipart files as for {@code POST /api/images}, or JSON
 *       {@code {"keys":["photos/a.jpg",...],"options":{...}}} naming objects in the service's bucket;
 *       answers 202 {@code {"job":id,"images":[{id,name,style}...],"refused":[{name,error}...]}}: one bad
 *       picture is left out of the job and named, it does not refuse the others (a missing key does: 400)
 *   <li>{@code GET /api/jobs/{id}}: {@code {id,total,done,failed,pending,etaSeconds,images,doneImages,failedImages}}
 *   <li>{@code GET /api/jobs/{id}/results.zip}: every finished picture of the job
 * </ul>
 */
public final class JobRoutes {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ImageRoutes images;
  private final Submitter submitter;
  private final BlobStore store;
  private final UploadValidator validator;
  private final OptionsParser options;
  private final ResultFiles results;
  private final Supplier<StatusService> statuses;
  private final int maxKeys;

  /** @param maxKeys most S3 keys one job may name */
  public JobRoutes(ImageRoutes images, Submitter submitter, BlobStore store, UploadValidator validator,
      OptionsParser options, StatusFeed feed, Supplier<StatusService> statuses, int maxKeys) {
    this.images = images;
    this.submitter = submitter;
    this.store = store;
    this.validator = validator;
    this.options = options;
    this.results = new ResultFiles(feed, store);
    this.statuses = statuses;
    this.maxKeys = maxKeys;
  }

  /** 202 answer to a new job. */
  public record JobCreated(String job, List<Accepted> images, List<Refused> refused) {}

  /** {@code GET /api/jobs/{id}}. */
  public record JobView(String id, int total, int done, int failed, int pending, Long etaSeconds,
      List<String> images, List<String> doneImages, List<String> failedImages) {

    static JobView of(JobStatus job) {
      return new JobView(job.id(), Math.max(job.total(), job.images().size()), job.done(), job.failed(), job.pending(),
          job.etaSeconds(), job.imageIds(), job.imageIds(JobStatus.DONE), job.imageIds(JobStatus.FAILED));
    }
  }

  public void register(RoutesConfig routes) {
    routes.post("/api/jobs", this::create);
    routes.get("/api/jobs/{id}", ctx -> ctx.json(JobView.of(find(ctx))));
    routes.get("/api/jobs/{id}/results.zip", this::zip);
  }

  void create(Context ctx) {
    long started = System.nanoTime();
    List<Refused> refused = new ArrayList<>();
    Upload upload = ctx.isMultipartFormData() ? images.readUpload(ctx, refused) : fromKeys(ctx, refused);
    if (upload.files().isEmpty()) {
      throw new ApiException(refused.size() == 1 ? UploadValidator.UNSUPPORTED_MEDIA_TYPE : 400,
          "no picture in the job can be converted: "
          + String.join("; ", refused.stream().map(r -> r.name() + ": " + r.error()).toList()));
    }
    String jobId = UUID.randomUUID().toString();
    List<Accepted> accepted = submitter.submit(upload.files(), upload.perStyle(), started, jobId);
    ctx.status(202).json(new JobCreated(jobId, accepted, refused));
  }

  /** {@code {"keys":[...],"options":{...}}}: every key must be an existing object in the service's bucket. */
  private Upload fromKeys(Context ctx, List<Refused> refused) {
    requireJson(ctx);
    JsonNode body;
    try {
      body = JSON.readTree(ctx.bodyAsBytes());
    } catch (IOException e) {
      throw ApiException.badRequest("send multipart/form-data files or JSON {\"keys\":[...],\"options\":{...}}");
    }
    JsonNode keys = body == null ? null : body.get("keys");
    if (keys == null || !keys.isArray() || keys.isEmpty()) {
      throw ApiException.badRequest("\"keys\" must be a non-empty list of object keys");
    }
    if (keys.size() > maxKeys) {
      throw ApiException.badRequest(keys.size() + " keys in one job; the limit is " + maxKeys);
    }
    List<Options> perStyle = options.parseAll(fields(body.get("options")));
    List<ValidUpload> valid = new ArrayList<>(keys.size());
    for (JsonNode key : keys) {
      String name = key.asText();
      BlobRef ref = new BlobRef(store.bucket(), keyInBucket(name));
      byte[] bytes;
      try {
        bytes = store.get(ref);
      } catch (BlobNotFoundException e) {
        throw ApiException.badRequest("no object '" + name + "' in this service's storage");
      }
      try {
        validator.checkSize(name, bytes.length);
        valid.add(validator.validate(ImageRoutes.displayName(name), bytes));
      } catch (ApiException e) {
        refused.add(new Refused(name, e.getMessage()));
      }
    }
    return new Upload(valid, perStyle);
  }

  /**
   * A JSON body must say so: a form or {@code text/plain} body is what another site's page can send
   * without asking the browser first, so only {@code application/json} (any charset) is read.
   */
  static void requireJson(Context ctx) {
    String type = ctx.contentType();
    String mediaType = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
    if (!mediaType.equals("application/json")) {
      throw new ApiException(UploadValidator.UNSUPPORTED_MEDIA_TYPE,
          "send multipart/form-data files or an application/json body {\"keys\":[...],\"options\":{...}}");
    }
  }

  /** A key as given, or {@code s3://<our bucket>/key}; any other bucket is refused. */
  private String keyInBucket(String given) {
    String key = given;
    if (given.startsWith("s3://")) {
      String rest = given.substring("s3://".length());
      int slash = rest.indexOf('/');
      if (slash < 0 || !rest.substring(0, slash).equals(store.bucket())) {
        throw ApiException.badRequest("'" + given + "' is not in this service's bucket");
      }
      key = rest.substring(slash + 1);
    }
    if (key.isBlank() || key.startsWith("/") || key.length() > 1024 || key.chars().anyMatch(Character::isISOControl)) {
      throw ApiException.badRequest("'" + given + "' is not an object key");
    }
    return key;
  }

  /** The options object as the upload form's fields: {"style":"a,b","maxSide":256} → style=[a,b], maxSide=[256]. */
  private static Map<String, List<String>> fields(JsonNode optionsNode) {
    Map<String, List<String>> fields = new HashMap<>();
    if (optionsNode == null || optionsNode.isNull()) {
      return fields;
    }
    if (!optionsNode.isObject()) {
      throw ApiException.badRequest("\"options\" must be an object");
    }
    optionsNode.fields().forEachRemaining(e -> fields.put(e.getKey(), List.of(e.getValue().asText())));
    return fields;
  }

  private void zip(Context ctx) throws IOException {
    JobStatus job = find(ctx);
    results.zip(ctx, job.imageIds(JobStatus.DONE), "animegan-job-" + job.id() + ".zip");
  }

  private JobStatus find(Context ctx) {
    String id = ctx.pathParam("id");
    return images.askStatus(ctx, service -> service.findJob(id)).orElseThrow(() -> ApiException.notFound("no job " + id));
  }

  /** Another instance asking for a job this one owns: the stored JSON as is. */
  void ownedJob(Context ctx) {
    String id = ctx.pathParam("id");
    byte[] json = images.askStatus(ctx, service -> service.findOwnedJob(id))
        .orElseThrow(() -> ApiException.notFound("no job " + id));
    ctx.contentType("application/json").result(json);
  }
}
