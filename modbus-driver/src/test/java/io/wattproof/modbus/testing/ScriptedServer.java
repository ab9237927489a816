package io.wattproof.modbus.testing;

import io.wattproof.modbus.frame.tcp.MbapFrame;
import io.wattproof.modbus.frame.tcp.MbapParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A misbehaving Modbus TCP server for master tests: parses each request frame and writes whatever
 * bytes the script returns for it (null: no answer at all). Records requests and counts connections.
 */
public final class ScriptedServer implements AutoCloseable {
    private final ServerSocket server;
    private final Function<MbapFrame, byte[]> script;
    private final List<MbapFrame> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;

    public ScriptedServer(Function<MbapFrame, byte[]> script) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.script = script;
        this.acceptor = Thread.ofVirtual().start(this::acceptLoop);
    }

    /** A server that accepts connections and reads requests but never answers. */
    public static ScriptedServer silent() throws IOException {
        return new ScriptedServer(request -> null);
    }

    public int port() {
        return server.getLocalPort();
    }

    public List<MbapFrame> requests() {
        return List.copyOf(requests);
    }

    public int connections() {
        return connections.get();
    }

    private void acceptLoop() {
        try {
            while (true) {
                Socket s = server.accept();
                connections.incrementAndGet();
                sockets.add(s);
                Thread.ofVirtual().start(() -> serve(s));
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            byte[] buffer = new byte[512];
            MbapParser state = MbapParser.start();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                state = state.feed(buffer, 0, n);
                while (state instanceof MbapParser.Complete c) {
                    requests.add(c.frame());
                    byte[] answer = script.apply(c.frame());
                    if (answer != null) {
                        s.getOutputStream().write(answer);
                        s.getOutputStream().flush();
                    }
                    state = c.next();
                }
            }
        } catch (IOException e) {
            // connection closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
