package io.wattproof.agent.uplink;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocketFactory;

/** Keeps every socket it makes, so a test can cut a connection the way a power cut would. */
final class RecordingSslSocketFactory extends SSLSocketFactory {
    final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final SSLSocketFactory tls;

    RecordingSslSocketFactory(SSLSocketFactory tls) {
        this.tls = tls;
    }

    private Socket keep(Socket s) {
        sockets.add(s);
        return s;
    }

    /** Closes every socket at once, with a TCP reset (SO_LINGER 0): no MQTT DISCONNECT is sent. */
    void cutAll() throws IOException {
        for (Socket s : sockets) {
            s.setSoLinger(true, 0);
            s.close();
        }
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return tls.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return tls.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
        return keep(tls.createSocket());
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        return keep(tls.createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return keep(tls.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return keep(tls.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return keep(tls.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return keep(tls.createSocket(address, port, localAddress, localPort));
    }
}
