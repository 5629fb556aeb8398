package io.animegan.app;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/** One scrape of a /metrics page in the Prometheus text format, read the way a query would. */
record PrometheusScrape(String text) {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static PrometheusScrape of(String baseUrl) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError(baseUrl + "/metrics answered " + response.statusCode());
        }
        return new PrometheusScrape(response.body());
    }

    static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return -1; // not listening yet
        }
    }

    /** The samples of one series name whose labels include all of {@code labels}. */
    List<Double> values(String name, Map<String, String> labels) {
        return text.lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> labels.entrySet().stream()
                        .allMatch(l -> line.contains(l.getKey() + "=\"" + l.getValue() + "\"")))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .toList();
    }

    /** Their sum, as {@code sum(name{labels})}; 0 when there is no such series. */
    double sum(String name, Map<String, String> labels) {
        return values(name, labels).stream().mapToDouble(Double::doubleValue).sum();
    }

    boolean has(String name, Map<String, String> labels) {
        return !values(name, labels).isEmpty();
    }
}
