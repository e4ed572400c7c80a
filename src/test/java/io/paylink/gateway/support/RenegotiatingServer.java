package io.paylink.gateway.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A TLS 1.2 server that reads each request whole, then starts a second handshake that demands a
 * client certificate the gateway does not have: a handshake failure after the request was sent,
 * which Front Payment could have acted on.
 */
public final class RenegotiatingServer implements AutoCloseable {

    private final SSLServerSocket socket;
    private final AtomicInteger requestsRead = new AtomicInteger();

    RenegotiatingServer(KeyStore keys, char[] password) throws Exception {
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        SSLContext context = SSLContext.getInstance("TLSv1.2");
        context.init(keyManagers.getKeyManagers(), null, null);
        socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        socket.setEnabledProtocols(new String[] {"TLSv1.2"});
        Thread acceptor = new Thread(this::serve, "renegotiating-front-payment");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    public int requestsRead() {
        return requestsRead.get();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (SSLSocket client = (SSLSocket) socket.accept()) {
                readRequest(client.getInputStream());
                requestsRead.incrementAndGet();
                client.setNeedClientAuth(true);
                client.startHandshake();
                client.getInputStream().read(); // drives the second handshake to its failure
            } catch (SocketException closed) {
                // the server socket was closed, or the gateway hung up
            } catch (IOException expected) {
                // the second handshake failed, as it is meant to
            }
        }
    }

    private static void readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request cut short");
            }
            head.write(b);
        }
        int length = 0;
        for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        in.readNBytes(length);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
