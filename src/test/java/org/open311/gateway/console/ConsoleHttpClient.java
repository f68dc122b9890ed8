package org.open311.gateway.console;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A browser's part in the console's HTTP tests: its cookies by hand (never followed redirects), forms posted. */
final class ConsoleHttpClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern LOGIN_TOKEN = Pattern.compile("name=\"login_token\" value=\"([^\"]+)\"");

    private final int port;
    /** The session cookie's value, once logged in. */
    String session;

    ConsoleHttpClient(int port) {
        this.port = port;
    }

    /** Logs in with an admin token through the login form, as a browser does; returns the login's answer. */
    HttpResponse<String> login(String token, String... extraHeaders) {
        HttpResponse<String> form = get("/admin/console/login");
        String loginCookie = cookie(form, ConsoleApi.LOGIN_COOKIE).orElseThrow();
        String loginToken = find(LOGIN_TOKEN, form.body());
        List<String> headers = new ArrayList<>(List.of("Cookie", ConsoleApi.LOGIN_COOKIE + "=" + loginCookie));
        headers.addAll(List.of(extraHeaders));
        HttpResponse<String> answer = post("/admin/console/login", headers, "login_token", loginToken, "token", token, "lang", "en");
        cookie(answer, ConsoleApi.COOKIE).filter(value -> !value.isEmpty()).ifPresent(value -> session = value);
        return answer;
    }

    HttpResponse<String> get(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET();
        if (session != null) {
            request.header("Cookie", ConsoleApi.COOKIE + "=" + session);
        }
        return send(request.build());
    }

    /** Posts a form with the session's cookie (if any), and these extra request headers. */
    HttpResponse<String> post(String path, List<String> headers, String... nameValues) {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i < nameValues.length; i += 2) {
            form.append(form.length() == 0 ? "" : "&").append(URLEncoder.encode(nameValues[i], StandardCharsets.UTF_8))
                    .append('=').append(URLEncoder.encode(nameValues[i + 1], StandardCharsets.UTF_8));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString()));
        boolean cookieGiven = false;
        for (int i = 0; i < headers.size(); i += 2) {
            String value = headers.get(i + 1);
            if (headers.get(i).equals("Cookie") && session != null) {
                value = value + "; " + ConsoleApi.COOKIE + "=" + session;
                cookieGiven = true;
            }
            request.header(headers.get(i), value);
        }
        if (session != null && !cookieGiven) {
            request.header("Cookie", ConsoleApi.COOKIE + "=" + session);
        }
        return send(request.build());
    }

    HttpResponse<String> post(String path, String... nameValues) {
        return post(path, List.of(), nameValues);
    }

    /** The CSRF token the page's forms carry. */
    String csrf() {
        return find(CSRF, get("/admin/console").body());
    }

    static Optional<String> cookie(HttpResponse<String> answer, String name) {
        return answer.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(name.length() + 1).split(";", 2)[0]).findFirst();
    }

    static Optional<String> setCookieHeader(HttpResponse<String> answer, String name) {
        return answer.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst();
    }

    private static String find(Pattern pattern, String body) {
        Matcher matcher = pattern.matcher(body);
        if (!matcher.find()) {
            throw new AssertionError("no " + pattern + " in " + body);
        }
        return matcher.group(1);
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("HTTP call failed: " + request.uri(), e);
        }
    }
}
