package io.animegan.webhook;

import io.animegan.client.webhook.WebhookSigner;
import io.animegan.common.webhook.CallbackPolicy;
import io.animegan.common.webhook.CallbackRefusedException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Dns;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Makes one signed delivery attempt. Redirects are not followed (a receiver could point the
 * service anywhere) and connect and read times are bounded; every connection is made only to
 * addresses the {@link CallbackPolicy} permits, checked on the addresses resolved for that very
 * connection, so a name that resolved to a public address at submission and to a private one now
 * is refused (DNS rebinding).
 */
final class WebhookSender implements AutoCloseable {

    private static final MediaType JSON = MediaType.get("application/json");

    /** The answer to one attempt: the HTTP status, or 0 with why nothing was answered. */
    record Attempt(int status, String error, boolean refused) {
        boolean delivered() {
            return status >= 200 && status < 300;
        }

        /** 410 Gone: the receiver asks for no more calls to this URL. */
        boolean gone() {
            return status == 410;
        }
    }

    private final WebhookSettings settings;
    /** One signer per secret in use, made when first needed. */
    private final Map<String, WebhookSigner> signers = new ConcurrentHashMap<>();

    private final CallbackPolicy policy;
    private final OkHttpClient http;

    WebhookSender(WebhookSettings settings) {
        this.settings = settings;
        this.policy = settings.policy();
        this.http = new OkHttpClient.Builder()
                .followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(false)
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.readTimeout())
                .writeTimeout(settings.readTimeout())
                .callTimeout(
                        settings.connectTimeout().plus(settings.readTimeout()).multipliedBy(2))
                .dns(new PolicyDns(policy))
                .build();
    }

    Attempt send(Delivery delivery, long nowSeconds) {
        try {
            // An address in the URL is checked here; a name is checked on what it resolves to when connecting.
            String host = CallbackPolicy.checkForm(delivery.url()).getHost();
            if (CallbackPolicy.isAddressLiteral(host)) {
                policy.resolve(host);
            }
        } catch (CallbackRefusedException e) {
            return new Attempt(0, e.getMessage(), true);
        }
        byte[] body = delivery.body().getBytes(StandardCharsets.UTF_8);
        Request request = new Request.Builder()
                .url(delivery.url())
                .headers(Headers.of(signerOf(delivery.tenant()).headers(delivery.webhookId(), nowSeconds, body)))
                .header("User-Agent", "animegan-webhooks")
                .post(RequestBody.create(body, JSON))
                .build();
        try (Response response = http.newCall(request).execute()) {
            return new Attempt(response.code(), null, false);
        } catch (IOException e) {
            RefusedHostException refused = refusal(e);
            return refused != null ? new Attempt(0, refused.getMessage(), true) : new Attempt(0, e.toString(), false);
        }
    }

    /** The tenant's own secret signs its deliveries, the service's those of tenants without one. */
    private WebhookSigner signerOf(String tenant) {
        return signers.computeIfAbsent(settings.secretOf(tenant), WebhookSigner::new);
    }

    /** The policy's refusal behind a failed call, however OkHttp wrapped it, or null. */
    private static RefusedHostException refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RefusedHostException refused) {
                return refused;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (suppressed instanceof RefusedHostException refused) {
                    return refused;
                }
            }
        }
        return null;
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /**
     * Resolves a callback host and hands OkHttp its addresses only when the policy permits every
     * one; a name that does not resolve now is tried again later like any unreachable receiver.
     */
    private record PolicyDns(CallbackPolicy policy) implements Dns {
        @Override
        public List<InetAddress> lookup(String hostname) throws UnknownHostException {
            List<InetAddress> addresses = Dns.SYSTEM.lookup(hostname);
            for (InetAddress address : addresses) {
                if (!policy.permits(hostname, address)) {
                    throw new RefusedHostException("the callback host " + hostname + " now resolves to "
                            + address.getHostAddress() + ", which is not a public address");
                }
            }
            return addresses;
        }
    }

    /** The policy refused the addresses a host resolves to now: not worth retrying. */
    private static final class RefusedHostException extends UnknownHostException {
        RefusedHostException(String message) {
            super(message);
        }
    }
}
