package io.animegan.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.animegan.common.storage.BlobNotFoundException;
import io.animegan.common.storage.BlobTooLargeException;
import io.animegan.common.storage.BlobStore;
import io.animegan.events.BlobRef;
import io.animegan.events.Options;
import io.animegan.ingest.ImageRoutes.Refused;
import io.animegan.ingest.ImageRoutes.Upload;
import io.animegan.ingest.Submitter.Accepted;
import io.animegan.ingest.UploadValidator.ValidUpload;
import io.animegan.status.JobRecord;
import io.animegan.status.JobStatus;
import io.animegan.status.StatusStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Jobs: several pictures submitted as one, followed and downloaded together. A job's progress is
 * folded by the status app from the pictures' events (see {@code io.animegan.status.JobChange}).
 * <ul>
 *   <li>{@code POST /api/jobs}: multipart files as for {@code POST /api/images}, or JSON
 *       {@code {"keys":["tenants/<tenant>/uploads/a.jpg",...],"options":{...}}} naming objects under the
 *       tenant's input prefix ({@link IngestLimits#jobInputPrefix}) in the service's bucket;
 *       answers 202 {@code {"job":id,"images":[{id,name,style}...],"refused":[{name,error}...]}}: one bad
 *       picture is left out of the job and named, it does not refuse the others (a missing key does: 400)
 *   <li>{@code GET /api/jobs/{id}}: {@code {id,total,done,failed,pending,etaSeconds,images,doneImages,failedImages}}
 *   <li>{@code GET /api/jobs/{id}/results.zip}: every finished picture of the job
 * </ul>
 */
public final class JobRoutes {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(JobRoutes.class);
  /** A record lists at most a job's ids (a few KiB); a bigger object is not one ingest wrote. */
  private static final long MAX_RECORD_BYTES = 1024 * 1024;

  private final ImageRoutes images;
  private final Submitter submitter;
  private final BlobStore store;
  private final UploadValidator validator;
  private final OptionsParser options;
  private final ResultFiles results;
  private final Supplier<StatusStore> statuses;
  private final int maxKeys;
  private final IngestLimits limits;
  private final long maxRequestBytes;

  /**
   * @param maxKeys most S3 keys one job may name
   * @param maxRequestBytes most bytes the objects of one job may hold together
   */
  public JobRoutes(ImageRoutes images, Submitter submitter, BlobStore store, UploadValidator validator,
      OptionsParser options, StatusStore feed, Supplier<StatusStore> statuses, int maxKeys, IngestLimits limits,
      long maxRequestBytes) {
    this.limits = limits;
    this.maxRequestBytes = maxRequestBytes;
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
    Tenant tenant = Tenant.of(ctx);
    List<Refused> refused = new ArrayList<>();
    String jobId = UUID.randomUUID().toString();
    List<Accepted> accepted;
    if (ctx.isMultipartFormData()) {
      try (UploadBudget.Share ignored = images.takeBudget(ctx)) {
        Upload upload = images.readUpload(ctx, refused);
        requireSome(upload.files().isEmpty(), refused);
        images.charge(ctx, tenant, upload);
        Submitter.Batch batch = submitter.batch(upload.perStyle(), started, jobId, tenant);
        accepted = storeAndSend(batch, () -> upload.files().forEach(batch::add), jobId, tenant);
      }
    } else {
      accepted = fromKeys(ctx, tenant, refused, started, jobId);
    }
    ctx.status(202).json(new JobCreated(jobId, accepted, refused));
  }

  private static void requireSome(boolean none, List<Refused> refused) {
    if (none) {
      throw new ApiException(refused.size() == 1 ? UploadValidator.UNSUPPORTED_MEDIA_TYPE : 400,
          "no picture in the job can be converted: "
          + String.join("; ", refused.stream().map(r -> r.name() + ": " + r.error()).toList()));
    }
  }

  /** A job key that passed every check before its bytes are read: as given, as stored, and its size. */
  private record KeyedObject(String given, String key, long size) {}

  /**
   * {@code {"keys":[...],"options":{...}}}: every key must lie under the tenant's input prefix
   * (checked before any storage call, so the answer never tells whether another key exists), is
   * stat'ed before it is read (an over-size object is left out unread), counted once however often
   * it is given, and read one object at a time inside the upload budget.
   */
  private List<Accepted> fromKeys(Context ctx, Tenant tenant, List<Refused> refused, long started, String jobId) {
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
    Map<String, String> unique = new LinkedHashMap<>();
    String prefix = limits.inputPrefix(tenant);
    for (JsonNode key : keys) {
      String given = key.asText();
      unique.putIfAbsent(keyUnder(prefix, given), given);
    }
    List<KeyedObject> objects = stat(unique, refused);
    long bytes = objects.stream().mapToLong(KeyedObject::size).sum();
    if (!objects.isEmpty()) {
      images.quotas().charge(ctx, tenant, (long) objects.size() * perStyle.size(), bytes * perStyle.size());
    }
    Submitter.Batch batch = submitter.batch(perStyle, started, jobId, tenant);
    return storeAndSend(batch, () -> {
      for (KeyedObject object : objects) {
        read(ctx, object, refused).ifPresent(batch::add);
      }
      requireSome(batch.isEmpty(), refused);
    }, jobId, tenant);
  }

  /**
   * Stores the job's pictures ({@code storePictures}), then its {@link JobRecord}, then sends the pictures'
   * events: once the caller answers 202, any instance finds the job, folded or not. A request that
   * fails before its events are out leaves neither pictures nor record behind.
   */
  private List<Accepted> storeAndSend(Submitter.Batch batch, Runnable storePictures, String jobId, Tenant tenant) {
    boolean recorded = false;
    try {
      storePictures.run();
      store.put(JobRecord.key(jobId), new JobRecord(tenant.id(), batch.ids(), System.currentTimeMillis()).toJson(),
          "application/json");
      recorded = true;
      return batch.send();
    } catch (RuntimeException e) {
      if (!batch.isSent()) {
        batch.abandon();
      }
      if (recorded) {
        deleteRecord(jobId); // the client never hears the job id: nobody can ask for it
      }
      throw e;
    }
  }

  private void deleteRecord(String jobId) {
    try {
      store.deletePrefix(JobRecord.prefix(jobId));
    } catch (RuntimeException e) {
      log.warn("cannot delete the record of refused job {}: {}", jobId, e.toString());
    }
  }

  /** Sizes from a HEAD of each object: a missing one refuses the job, an over-size one is left out unread. */
  private List<KeyedObject> stat(Map<String, String> unique, List<Refused> refused) {
    List<KeyedObject> objects = new ArrayList<>();
    long total = 0;
    for (Map.Entry<String, String> entry : unique.entrySet()) {
      String given = entry.getValue();
      long size = store.stat(entry.getKey())
          .orElseThrow(() -> ApiException.badRequest("no object '" + given + "' in this service's storage"))
          .size();
      if (size > validator.maxBytes()) {
        refused.add(new Refused(given, "'" + given + "' is " + size + " bytes; the limit is " + validator.maxBytes()
            + " bytes"));
        continue;
      }
      total += size;
      objects.add(new KeyedObject(given, entry.getKey(), size));
    }
    if (total > maxRequestBytes) {
      throw new ApiException(UploadValidator.CONTENT_TOO_LARGE, "the job's objects hold " + total
          + " bytes; the limit is " + maxRequestBytes + " bytes per job");
    }
    return objects;
  }

  /** One object's bytes, checked, inside the upload budget; empty (and named in {@code refused}) when bad. */
  private Optional<ValidUpload> read(Context ctx, KeyedObject object, List<Refused> refused) {
    try (UploadBudget.Share ignored = images.budget().take(ctx, object.size())) {
      byte[] bytes = store.get(new BlobRef(store.bucket(), object.key()), validator.maxBytes());
      return Optional.of(validator.validate(ImageRoutes.displayName(object.given()), bytes));
    } catch (BlobNotFoundException e) {
      throw ApiException.badRequest("no object '" + object.given() + "' in this service's storage");
    } catch (BlobTooLargeException e) {
      refused.add(new Refused(object.given(), "'" + object.given() + "' is larger than " + validator.maxBytes()
          + " bytes"));
    } catch (ApiException e) {
      if (e.status() == 503) {
        throw e;
      }
      refused.add(new Refused(object.given(), e.getMessage()));
    }
    return Optional.empty();
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

  /**
   * The job when it is the caller's; another tenant's job reads as an unknown one (both make the
   * same storage call). A job the status app has not folded, or folded only in part, is completed
   * from the {@link JobRecord} ingest stored before its 202: a job id once answered is never 404.
   */
  private JobStatus find(Context ctx) {
    String id = ctx.pathParam("id");
    Tenant tenant = Tenant.of(ctx);
    Optional<JobStatus> folded = images.askStatus(ctx, service -> service.job(id));
    if (folded.isPresent() && folded.get().belongsTo(tenant.id()) && folded.get().images().size() >= folded.get().total()) {
      return folded.get();
    }
    Optional<JobRecord> record = record(id);
    Optional<JobStatus> job = folded.isPresent()
        ? folded.filter(f -> f.belongsTo(tenant.id())).map(f -> record.map(r -> r.addTo(f)).orElse(f))
        : record.filter(r -> r.belongsTo(tenant.id())).map(r -> r.asQueued(id));
    return job.orElseThrow(() -> ApiException.notFound("no job " + id));
  }

  /** The job's record, if ingest stored one; an id ingest never makes names none, without a storage call. */
  private Optional<JobRecord> record(String jobId) {
    if (!JobRecord.isJobId(jobId)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JobRecord.fromJson(store.get(new BlobRef(store.bucket(), JobRecord.key(jobId)),
          MAX_RECORD_BYTES)));
    } catch (BlobNotFoundException e) {
      return Optional.empty();
    }
  }

  /** Another instance asking for a job this one owns: the stored record (Avro) as is. */
  void ownedJob(Context ctx) {
    String id = ctx.pathParam("id");
    byte[] stored = images.askStatus(ctx, service -> service.owned().job(id))
        .orElseThrow(() -> ApiException.notFound("no job " + id));
    ctx.contentType("application/octet-stream").result(stored);
  }
}
