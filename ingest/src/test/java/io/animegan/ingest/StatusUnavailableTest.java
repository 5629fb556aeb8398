package io.animegan.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Before the status store can answer, a status request gets 503 with Retry-After, never a wrong 404. */
class StatusUnavailableTest {

  @Test
  void answers503WithRetryAfterWhileTheStatusStoreIsNotThere() {
    ImageRoutes routes = new ImageRoutes(new UploadValidator(1000), null, () -> null, null, 10_000);
    Javalin app = Javalin.create(cfg -> IngestServer.configure(cfg, routes, 10_000)).start(0);
    try {
      Http http = new Http(app.port());
      for (String path : new String[] {"/api/images/some-id", "/api/images/some-id/result", "/internal/status/some-id"}) {
        HttpResponse<byte[]> response = http.get(path);
        IngestServerTest.assertError(response, 503, "try again");
        assertThat(response.headers().firstValue("Retry-After")).as(path)
            .hasValue(String.valueOf(ImageRoutes.STATUS_RETRY_AFTER_SECONDS));
      }
    } finally {
      app.stop();
    }
  }
}
