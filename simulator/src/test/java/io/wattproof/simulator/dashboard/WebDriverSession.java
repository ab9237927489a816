package io.wattproof.simulator.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Debian Chromium driven over the W3C WebDriver protocol (https://www.w3.org/TR/webdriver2/)
 * by Debian's chromedriver, spoken with the JDK's HTTP client: New Session, Navigate To, Execute
 * Script and Delete Session are all the browser test needs, so no WebDriver library is pulled in.
 */
final class WebDriverSession implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Without the networking flags Chromium reaches for Google's services at every start, and on a
     * closed network it stalls on them; root needs --no-sandbox; a fresh profile keeps runs apart.
     */
    private static final List<String> CHROMIUM_FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=1280,1024");

    private final Process driver;
    private final URI base;
    private final String session;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private WebDriverSession(Process driver, URI base, String session) {
        this.driver = driver;
        this.base = base;
        this.session = session;
    }

    static boolean isInstalled() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** Starts chromedriver on a free port with its log in {@code folder}, and a browser with a new profile there. */
    static WebDriverSession start(Path folder) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port, "--log-path=" + folder.resolve("chromedriver.log"))
                .redirectErrorStream(true).redirectOutput(folder.resolve("chromedriver.out").toFile()).start();
        URI base = URI.create("http://127.0.0.1:" + port + "/");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (true) {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("status")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (JSON.readTree(r.body()).path("value").path("ready").asBoolean()) {
                        break;
                    }
                } catch (IOException notYet) {
                    // chromedriver is not listening yet
                }
                if (System.nanoTime() > deadline || !driver.isAlive()) {
                    throw new IllegalStateException("chromedriver did not become ready on port " + port + ": "
                            + Files.readString(folder.resolve("chromedriver.out")));
                }
                Thread.sleep(100);
            }
            ObjectNode body = JSON.createObjectNode();
            ObjectNode options = body.putObject("capabilities").putObject("alwaysMatch").put("browserName", "chrome")
                    .putObject("goog:chromeOptions").put("binary", CHROMIUM.toString());
            ArrayNode args = options.putArray("args");
            CHROMIUM_FLAGS.forEach(args::add);
            args.add("--user-data-dir=" + Files.createDirectories(folder.resolve("profile")));
            JsonNode created = call(http, "POST", base.resolve("session"), body);
            return new WebDriverSession(driver, base, created.path("sessionId").asText());
        } catch (Exception | Error e) {
            driver.destroy();
            throw e;
        }
    }

    /** Sends one command; its {@code value}, or an exception with WebDriver's error and message. */
    private static JsonNode call(HttpClient http, String method, URI uri, JsonNode body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .method(method, publisher).build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode value = JSON.readTree(r.body()).path("value");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("webdriver " + method + " " + uri.getPath() + ": HTTP " + r.statusCode() + " "
                    + value.path("error").asText() + ": " + value.path("message").asText());
        }
        return value;
    }

    private URI command(String path) {
        return base.resolve("session/" + session + "/" + path);
    }

    void navigate(URI page) throws Exception {
        call(http, "POST", command("url"), JSON.createObjectNode().put("url", page.toString()));
    }

    /** Runs {@code script} as a function body in the page; what it returns, as JSON. */
    JsonNode execute(String script) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("script", script);
        body.putArray("args");
        return call(http, "POST", command("execute/sync"), body);
    }

    /** Take Screenshot: the viewport as PNG, written to {@code file}. */
    void screenshot(Path file) throws Exception {
        JsonNode png = call(http, "GET", command("screenshot"), null);
        Files.write(file, java.util.Base64.getDecoder().decode(png.asText()));
    }

    @Override
    public void close() {
        try {
            call(http, "DELETE", base.resolve("session/" + session), null);
        } catch (Exception e) {
            // The browser is ended with its driver below.
        }
        driver.destroy();
        try {
            if (!driver.waitFor(5, TimeUnit.SECONDS)) {
                driver.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
