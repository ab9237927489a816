package io.wattproof.simulator.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on loopback between one device and the broker that can be cut and restored: the
 * simulator's stand-in for a meter's mobile or Wi-Fi link going down. While cut, open connections
 * are dropped and new ones are closed as soon as they are accepted, so the device sees what it sees
 * in the field: connection lost, then refused reconnects.
 */
public final class LinkProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private volatile boolean closed;

    private LinkProxy(ServerSocket server, InetSocketAddress target) {
        this.server = server;
        this.target = target;
        Thread.ofVirtual().name("link-proxy-" + server.getLocalPort()).start(this::acceptLoop);
    }

    /** Listens on a free loopback port and relays to {@code target}. */
    public static LinkProxy start(InetSocketAddress target) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        return new LinkProxy(server, target);
    }

    public int port() {
        return server.getLocalPort();
    }

    public String uri() {
        return "tcp://127.0.0.1:" + port();
    }

    /** Drops every connection and refuses new ones until {@link #restore()}. */
    public void cut() {
        cut = true;
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    public void restore() {
        cut = false;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket device;
            try {
                device = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (cut) {
                closeQuietly(device);
                continue;
            }
            Thread.ofVirtual().start(() -> connect(device));
        }
    }

    private void connect(Socket device) {
        Socket broker = new Socket();
        try {
            broker.connect(target, 2000);
            broker.setTcpNoDelay(true);
            device.setTcpNoDelay(true);
        } catch (IOException e) {
            closeQuietly(device);
            closeQuietly(broker);
            return;
        }
        open.add(device);
        open.add(broker);
        Thread.ofVirtual().start(() -> pump(device, broker));
        pump(broker, device);
    }

    /** Copies bytes one way until either side closes, then closes both. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // A cut or a closed peer; both ends are closed below.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // Already gone.
        }
    }

    @Override
    public void close() {
        closed = true;
        cut();
        try {
            server.close();
        } catch (IOException ignored) {
            // Nothing to release beyond the port.
        }
    }
}
