package io.wattproof.lightclient.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.wattproof.lightclient.provider.LightBlockProvider;
import io.wattproof.lightclient.provider.ProviderException;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.types.SignedHeader;
import io.wattproof.lightclient.types.Validator;
import io.wattproof.lightclient.types.ValidatorSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link LightBlockProvider} over a CometBFT node's JSON-RPC, URI style over HTTP (GET
 * {@code /commit?height=H}, {@code /validators?height=H&page=P&per_page=N}, {@code /status}).
 * A light block at H is the signed header of {@code /commit} with the validator set of
 * {@code /validators} at H (all pages) and, when the node has it, the set at H + 1 as the next
 * validator set. Nothing is verified here beyond what identifies the answer (chain id, height, the
 * pages of one set agreeing); the verifier checks the rest.
 *
 * <p>Failures: no connection, a timeout or an HTTP 5xx without a JSON-RPC error is
 * {@link ProviderException.Unavailable}; a height above the node's latest or below its pruned base is
 * {@link ProviderException.NotFound}; a body that is not the expected JSON, too large, for another
 * chain or another height is {@link ProviderException.BadResponse}. Thread-safe.
 */
public final class RpcProvider implements LightBlockProvider, AutoCloseable {
    /** types/vote_set.go {@code MaxVotesCount}: no CometBFT validator set is larger. */
    static final int MAX_VALIDATORS = 10_000;

    private final RpcProviderConfig config;
    private final String id;
    private final String base;
    private final HttpClient client;

    public RpcProvider(RpcProviderConfig config) {
        this.config = config;
        this.id = idOf(config.endpoint());
        String b = config.endpoint().toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.client = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** The endpoint without user info, query or fragment, e.g. {@code http://10.0.0.5:26657}. */
    @Override
    public String id() {
        return id;
    }

    @Override
    public LightBlock lightBlock(long height) throws ProviderException {
        if (height < 1) {
            throw new IllegalArgumentException("heights start at 1, got " + height);
        }
        SignedHeader sh = signedHeader(height);
        ValidatorSet vals = validators(height);
        Optional<ValidatorSet> next;
        try {
            // The node knows the set of its latest height + 1 (state keeps NextValidators), so this
            // is NotFound only for heights it does not have at all.
            next = Optional.of(validators(height + 1));
        } catch (ProviderException.NotFound e) {
            next = Optional.empty();
        }
        return new LightBlock(sh, vals, next);
    }

    @Override
    public LightBlock latest() throws ProviderException {
        long height = latestHeight();
        if (height < 1) {
            throw new ProviderException.NotFound(id, height, "the node has no block yet");
        }
        return lightBlock(height);
    }

    /** {@code /status}: the node's latest block height, after checking it serves the configured chain. */
    public long latestHeight() throws ProviderException {
        String request = "/status";
        return RpcAnswers.latestHeight(id, request, config.chainId(), get(request, 0));
    }

    /** {@code /commit?height=H}: the header at H and the commit for it. */
    public SignedHeader signedHeader(long height) throws ProviderException {
        String request = "/commit?height=" + height;
        return RpcAnswers.commit(id, request, config.chainId(), height, get(request, height));
    }

    /**
     * {@code /validators?height=H}, page by page until the {@code total} the node declared is reached.
     * Every page must declare the same total, hold {@code per_page} validators (the last one the rest),
     * say so in {@code count}, be for height H, and name no validator a page before named.
     */
    public ValidatorSet validators(long height) throws ProviderException {
        int perPage = config.validatorsPerPage();
        List<Validator> all = new ArrayList<>();
        Set<Bytes> seen = new HashSet<>();
        long total = -1;
        for (int page = 1; ; page++) {
            String request = "/validators?height=" + height + "&page=" + page + "&per_page=" + perPage;
            RpcAnswers.ValidatorsPage p = RpcAnswers.validatorsPage(id, request, get(request, height));
            if (p.blockHeight() != height) {
                throw bad(request + ": result.block_height: expected " + height + ", got " + p.blockHeight());
            }
            if (page == 1) {
                total = p.total();
                if (total < 1 || total > MAX_VALIDATORS) {
                    throw bad(request + ": result.total: expected 1.." + MAX_VALIDATORS + ", got " + total);
                }
            } else if (p.total() != total) {
                throw bad(request + ": result.total: page 1 said " + total + ", this page says " + p.total());
            }
            long expected = Math.min(perPage, total - all.size());
            if (p.validators().size() != expected || p.count() != p.validators().size()) {
                throw bad(request + ": expected " + expected + " validators on page " + page + " of a set of " + total
                        + ", got " + p.validators().size() + " (count " + p.count() + ")");
            }
            for (Validator v : p.validators()) {
                if (!seen.add(v.address())) {
                    throw bad(request + ": validator " + v.address().hex() + " appears on more than one page");
                }
                all.add(v);
            }
            if (all.size() == total) {
                return new ValidatorSet(all);
            }
        }
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "RpcProvider[" + id + ", chain " + config.chainId() + "]";
    }

    private ProviderException.BadResponse bad(String message) {
        return new ProviderException.BadResponse(id, message, null);
    }

    /** One GET; the whole exchange, body included, must finish within the request timeout. */
    private JsonNode get(String request, long height) throws ProviderException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + request))
                .timeout(config.requestTimeout())
                .header("Accept", "application/json")
                .GET()
                .build();
        int max = config.maxResponseBytes();
        CompletableFuture<HttpResponse<byte[]>> future =
                client.sendAsync(req, info -> new LimitedBody(max, info.headers().firstValueAsLong("Content-Length").orElse(-1)));
        HttpResponse<byte[]> response;
        try {
            response = future.get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new ProviderException.Unavailable(id, request + ": no complete answer within " + config.requestTimeout(), e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new ProviderException.Unavailable(id, request + ": interrupted", e);
        } catch (ExecutionException e) {
            throw translate(request, e.getCause());
        }
        return RpcAnswers.result(id, request, height, response.statusCode(), response.body());
    }

    private ProviderException translate(String request, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BodyTooLarge tooLarge) {
                return new ProviderException.BadResponse(id, request + ": " + tooLarge.getMessage(), tooLarge);
            }
            if (t instanceof HttpTimeoutException) {
                return new ProviderException.Unavailable(id, request + ": timed out: " + t.getMessage(), failure);
            }
            if (t instanceof ConnectException) {
                return new ProviderException.Unavailable(id, request + ": cannot connect: " + describe(t), failure);
            }
        }
        return new ProviderException.Unavailable(id, request + ": " + describe(failure), failure);
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static String idOf(URI endpoint) {
        try {
            return new URI(endpoint.getScheme(), null, endpoint.getHost(), endpoint.getPort(), endpoint.getPath(), null, null)
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("endpoint: " + e.getMessage(), e);
        }
    }

    /** A body larger than the configured limit, refused as soon as it is declared or exceeded. */
    static final class BodyTooLarge extends IOException {
        BodyTooLarge(String message) {
            super(message);
        }
    }

    /** Collects a body up to {@code max} bytes and cancels the exchange beyond that. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int max;
        private final long declared;
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        LimitedBody(int max, long declared) {
            this.max = max;
            this.declared = declared;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (declared > max) {
                s.cancel();
                body.completeExceptionally(new BodyTooLarge(
                        "response body of " + declared + " bytes (Content-Length) exceeds the limit of " + max));
                return;
            }
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer b : items) {
                if (buffer.size() + (long) b.remaining() > max) {
                    subscription.cancel();
                    body.completeExceptionally(new BodyTooLarge("response body exceeds the limit of " + max + " bytes"));
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                buffer.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable t) {
            body.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            body.complete(buffer.toByteArray());
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }
    }
}
