package io.animegan.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.ingest.ApiViews.ErrorResponse;
import io.animegan.submission.ApiException;
import io.animegan.submission.Submission;
import io.animegan.submission.UploadValidator;
import io.javalin.Javalin;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Before the status store can answer, a status request gets 503 with Retry-After, never a wrong 404. */
class StatusUnavailableTest {

    @Test
    void answers503WithRetryAfterWhileTheStatusStoreIsNotThere() {
        Submission submission = new Submission(null, null, new UploadValidator(1000), null, null, null, null, null);
        ImageRoutes routes = new ImageRoutes(submission, () -> null, null, 10_000, 1, Duration.ofMinutes(1));
        Javalin app = Javalin.create(cfg -> {
                    routes.register(cfg.routes);
                    // As InternalServer registers it, on the internal port.
                    cfg.routes.get(io.animegan.status.StatusService.INTERNAL_ROUTE + "{id}", routes::ownedStatus);
                    cfg.routes.exception(
                            ApiException.class,
                            (e, ctx) -> ctx.status(e.status()).json(new ErrorResponse(e.getMessage())));
                })
                .start(0);
        try {
            Http http = new Http(app.port());
            for (String path :
                    new String[] {"/api/images/some-id", "/api/images/some-id/result", "/internal/status/some-id"}) {
                HttpResponse<byte[]> response = http.get(path);
                Http.assertError(response, 503, "try again");
                assertThat(response.headers().firstValue("Retry-After"))
                        .as(path)
                        .hasValue(String.valueOf(ImageRoutes.STATUS_RETRY_AFTER_SECONDS));
            }
        } finally {
            app.stop();
        }
    }
}
