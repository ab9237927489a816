package io.wattproof.simulator.ledger.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.wattproof.simulator.ledger.CommittedBlock;
import io.wattproof.simulator.ledger.LedgerException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a ledger over the subset of CometBFT's RPC that light clients and gateways use (CometBFT
 * rpc/core, v0.38 shapes): {@code /status}, {@code /genesis}, {@code /commit}, {@code /validators},
 * {@code /block}, {@code /tx}, {@code /broadcast_tx_sync}, and {@code /websocket} with the
 * {@code tm.event='NewBlock'} subscription. With it, the reference ledger can be followed by any
 * CometBFT light client ({@code bin/light-client}, tendermint-rs, CometBFT's own) and reached by a
 * gateway configured for a real node ({@link CometRpcNode}), so the gateway's RPC path is exercised
 * without a CometBFT build.
 *
 * <p>URI requests only ({@code GET /method?arg=value}), answered with CometBFT's JSON-RPC envelope;
 * a failure is HTTP 500 with {@code {"error": {"code": -32603, "message": "Internal error", "data":
 * ...}}}, as rpc/jsonrpc/server/http_uri_handler.go does. Binds to loopback only.
 */
public final class CometRpcServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CometRpcServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CometRpcSource source;
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final ChannelGroup subscribers = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Channel channel;
    private final AutoCloseable blocks;

    private CometRpcServer(CometRpcSource source, int port) throws LedgerException {
        this.source = source;
        try {
            ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(4 * 1024 * 1024),
                                    new WebSocketServerProtocolHandler("/websocket", null, true),
                                    new Handler());
                        }
                    });
            this.channel = bootstrap.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).sync().channel();
        } catch (Exception e) {
            group.shutdownGracefully();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new LedgerException("cannot serve CometBFT RPC on 127.0.0.1:" + port + ": " + e, e);
        }
        this.blocks = source.onCommit(this::announce);
    }

    /** Serves {@code source} on 127.0.0.1:{@code port} (0: any free port). */
    public static CometRpcServer start(CometRpcSource source, int port) throws LedgerException {
        return new CometRpcServer(source, port);
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** Sends the NewBlock event of {@code block} to every subscribed WebSocket. */
    private void announce(CommittedBlock block) {
        if (subscribers.isEmpty()) {
            return;
        }
        try {
            ObjectNode result = JSON.createObjectNode();
            result.put("query", "tm.event = 'NewBlock'");
            ObjectNode data = result.putObject("data");
            data.put("type", "tendermint/event/NewBlock");
            data.set("value", source.newBlockEvent(block.height()));
            result.putObject("events").putArray("tm.event").add("NewBlock");
            ObjectNode envelope = JSON.createObjectNode();
            envelope.put("jsonrpc", "2.0");
            envelope.put("id", 1);
            envelope.set("result", result);
            subscribers.writeAndFlush(new TextWebSocketFrame(JSON.writeValueAsString(envelope)));
        } catch (Exception e) {
            log.warn("new block event for height {} not sent: {}", block.height(), e.toString());
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<Object> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof FullHttpRequest request) {
                http(ctx, request);
            } else if (msg instanceof TextWebSocketFrame frame) {
                websocket(ctx, frame.text());
            }
        }

        private void http(ChannelHandlerContext ctx, FullHttpRequest request) throws Exception {
            QueryStringDecoder query = new QueryStringDecoder(request.uri());
            Map<String, List<String>> params = query.parameters();
            HttpResponseStatus status = HttpResponseStatus.OK;
            ObjectNode envelope = JSON.createObjectNode();
            envelope.put("jsonrpc", "2.0");
            envelope.put("id", -1);
            try {
                envelope.set("result", source.answer(query.path(), params));
            } catch (CometRpcSource.NotFoundRoute e) {
                status = HttpResponseStatus.NOT_FOUND;
                envelope.set("error", error(-32601, "Method not found", e.getMessage()));
            } catch (LedgerException | IllegalArgumentException e) {
                status = HttpResponseStatus.INTERNAL_SERVER_ERROR;
                envelope.set("error", error(-32603, "Internal error", e.getMessage()));
            }
            byte[] body = JSON.writeValueAsBytes(envelope);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            HttpUtil.setContentLength(response, body.length);
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(response);
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        /** JSON-RPC over the socket: {@code subscribe} to NewBlock is the one method served. */
        private void websocket(ChannelHandlerContext ctx, String text) throws Exception {
            ObjectNode answer = JSON.createObjectNode();
            answer.put("jsonrpc", "2.0");
            JsonNode request;
            try {
                request = JSON.readTree(text);
            } catch (Exception e) {
                answer.putNull("id");
                answer.set("error", error(-32700, "Parse error", "the request is not JSON"));
                ctx.writeAndFlush(new TextWebSocketFrame(JSON.writeValueAsString(answer)));
                return;
            }
            answer.set("id", request.path("id"));
            String method = request.path("method").asText("");
            String q = request.path("params").path("query").asText("").replace(" ", "");
            if (method.equals("subscribe") && q.equals("tm.event='NewBlock'")) {
                subscribers.add(ctx.channel());
                answer.putObject("result");
            } else if (method.equals("unsubscribe_all") || method.equals("unsubscribe")) {
                subscribers.remove(ctx.channel());
                answer.putObject("result");
            } else {
                answer.set("error", error(-32601, "Method not found",
                        "only subscribe to tm.event='NewBlock' is served here, got " + method + " " + q));
            }
            ctx.writeAndFlush(new TextWebSocketFrame(JSON.writeValueAsString(answer)));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("rpc connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    private static ObjectNode error(int code, String message, String data) {
        ObjectNode e = JSON.createObjectNode();
        e.put("code", code);
        e.put("message", message);
        e.put("data", data);
        return e;
    }

    @Override
    public void close() {
        try {
            blocks.close();
        } catch (Exception e) {
            log.debug("closing the block subscription failed: {}", e.toString());
        }
        subscribers.close();
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    static String hex(byte[] b) {
        return HexFormat.of().withUpperCase().formatHex(b);
    }
}
