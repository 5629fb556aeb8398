package io.animegan.app;

import io.animegan.common.webhook.CallbackPolicy;
import io.animegan.webhook.WebhookSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Webhook settings: which callback hosts ingest accepts and webhook-stage calls, and how
 * webhook-stage signs and retries. Every option can also come from an environment variable
 * (ANIMEGAN_WEBHOOK_...).
 */
public final class WebhookOptions {

    /** Where {@code run} keeps the secret it made when none is given, so it stays the same across restarts. */
    static final String SECRET_FILE = "webhook-secret";

    @Option(
            names = "--webhook-allow-hosts",
            split = ",",
            defaultValue = "${env:ANIMEGAN_WEBHOOK_ALLOW_HOSTS}",
            description = "Host names, addresses or CIDR networks a callbackUrl may reach although they are loopback, "
                    + "private, link-local or otherwise not public, e.g. 127.0.0.1,hooks.internal,10.1.0.0/16 "
                    + "(env ANIMEGAN_WEBHOOK_ALLOW_HOSTS). Default: none")
    List<String> allowHosts;

    @Option(
            names = "--webhook-secret",
            defaultValue = "${env:ANIMEGAN_WEBHOOK_SECRET}",
            description = "Signing secret of the webhooks, whsec_ followed by base64 of at least 16 random bytes "
                    + "(env ANIMEGAN_WEBHOOK_SECRET; prefer the variable: options show in process lists). "
                    + "'run' makes one in its data directory when none is given")
    String secret;

    @Option(
            names = "--webhook-tenant-secrets",
            split = ",",
            defaultValue = "${env:ANIMEGAN_WEBHOOK_TENANT_SECRETS}",
            description = "Comma-separated tenant:whsec_... pairs: a tenant (as its API tokens name it) whose webhooks "
                    + "are signed with its own secret instead of --webhook-secret (env ANIMEGAN_WEBHOOK_TENANT_SECRETS; "
                    + "prefer the variable or --webhook-tenant-secrets-file: options show in process lists)")
    List<String> tenantSecrets;

    @Option(
            names = "--webhook-tenant-secrets-file",
            defaultValue = "${env:ANIMEGAN_WEBHOOK_TENANT_SECRETS_FILE}",
            description = "File with one tenant:whsec_... line per tenant ('#' starts a comment), added to "
                    + "--webhook-tenant-secrets (env ANIMEGAN_WEBHOOK_TENANT_SECRETS_FILE)")
    Path tenantSecretsFile;

    @Option(
            names = "--webhook-retry-for",
            defaultValue = "${env:ANIMEGAN_WEBHOOK_RETRY_FOR:-24h}",
            converter = DurationConverter.class,
            description = "How long a webhook that is not answered with 2xx (or 410) is retried, with exponential "
                    + "backoff and jitter (env ANIMEGAN_WEBHOOK_RETRY_FOR). Default: ${DEFAULT-VALUE}")
    Duration retryFor;

    @Option(
            names = "--webhook-timeout",
            defaultValue = "${env:ANIMEGAN_WEBHOOK_TIMEOUT:-5s}",
            converter = DurationConverter.class,
            description = "Longest wait for a receiver to connect, and then to answer; at most 30s "
                    + "(env ANIMEGAN_WEBHOOK_TIMEOUT). Default: ${DEFAULT-VALUE}")
    Duration timeout;

    @Option(
            names = "--webhook-result-base-url",
            defaultValue = "${env:ANIMEGAN_WEBHOOK_RESULT_BASE_URL:-}",
            description = "The service's public URL, e.g. https://anime.example.org, which a webhook's resultUrl "
                    + "starts with; without it resultUrl is the path /api/images/{id}/result "
                    + "(env ANIMEGAN_WEBHOOK_RESULT_BASE_URL)")
    String resultBaseUrl;

    /** The callback address policy these options describe. */
    CallbackPolicy policy() {
        return CallbackPolicy.allowing(allowHosts);
    }

    /** The settings of a webhook-stage process, which needs the secret given. */
    WebhookSettings toSettings() {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("the webhook stage signs with --webhook-secret "
                    + "(env ANIMEGAN_WEBHOOK_SECRET): whsec_ followed by base64, e.g. "
                    + "whsec_$(openssl rand -base64 32)");
        }
        return WebhookSettings.of(secret, policy(), retryFor, timeout, resultBaseUrl)
                .withTenantSecrets(WebhookSettings.parseTenantSecrets(tenantSecretLines()));
    }

    private List<String> tenantSecretLines() {
        List<String> all = new ArrayList<>();
        if (tenantSecrets != null) {
            tenantSecrets.stream().map(String::strip).filter(s -> !s.isEmpty()).forEach(all::add);
        }
        if (tenantSecretsFile != null) {
            try {
                Files.readAllLines(tenantSecretsFile).stream()
                        .map(String::strip)
                        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                        .forEach(all::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the webhook tenant secrets file " + tenantSecretsFile, e);
            }
        }
        return all;
    }

    /** The settings of {@code run}: the secret given, or the one kept in {@code dataDir}. */
    WebhookSettings toSettings(Path dataDir) {
        if (secret == null || secret.isBlank()) {
            secret = secretIn(dataDir);
        }
        return toSettings();
    }

    /** The secret stored in {@code dataDir}, made (readable by this user only) the first time. */
    static String secretIn(Path dataDir) {
        Path file = dataDir.resolve(SECRET_FILE);
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                Files.createDirectories(dataDir);
                try {
                    Files.createFile(
                            file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, "whsec_" + Base64.getEncoder().encodeToString(key) + "\n");
                } catch (FileAlreadyExistsException e) {
                    // Made by another process meanwhile: read that one.
                } catch (UnsupportedOperationException e) {
                    Files.writeString(file, "whsec_" + Base64.getEncoder().encodeToString(key) + "\n");
                }
            }
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the webhook secret in " + file, e);
        }
    }
}
