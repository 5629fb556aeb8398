package io.animegan.app;

import io.animegan.common.webhook.CallbackPolicy;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Webhook settings: which callback hosts ingest accepts and webhook-stage calls. Every option can
 * also come from an environment variable (ANIMEGAN_WEBHOOK_...).
 */
public final class WebhookOptions {

    @Option(names = "--webhook-allow-hosts", split = ",", defaultValue = "${env:ANIMEGAN_WEBHOOK_ALLOW_HOSTS}",
            description = "Host names, addresses or CIDR networks a callbackUrl may reach although they are loopback, "
                    + "private, link-local or otherwise not public, e.g. 127.0.0.1,hooks.internal,10.1.0.0/16 "
                    + "(env ANIMEGAN_WEBHOOK_ALLOW_HOSTS). Default: none")
    List<String> allowHosts;

    /** The callback address policy these options describe. */
    CallbackPolicy policy() {
        return CallbackPolicy.allowing(allowHosts);
    }
}
