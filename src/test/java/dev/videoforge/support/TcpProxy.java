package dev.videoforge.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP forwarder a test can cut and restore, to make a dependency (the database)
 * disappear for a while without stopping the shared server itself; it also counts the bytes
 * clients send through it.
 */
public final class TcpProxy implements AutoCloseable {

	private final int port;
	private final String targetHost;
	private final int targetPort;
	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
	private final java.util.concurrent.atomic.AtomicLong upstreamBytes = new java.util.concurrent.atomic.AtomicLong();
	private volatile ServerSocket server;

	public TcpProxy(String targetHost, int targetPort) throws IOException {
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		this.port = ServerProcess.freePort();
		restore();
	}

	public int port() {
		return port;
	}

	/** How many bytes clients have sent through the proxy to the target so far. */
	public long upstreamBytes() {
		return upstreamBytes.get();
	}

	/** Accepts connections again, on the same port. */
	public synchronized void restore() throws IOException {
		if (server != null && !server.isClosed()) {
			return;
		}
		ServerSocket socket = new ServerSocket();
		socket.setReuseAddress(true);
		socket.bind(new InetSocketAddress("127.0.0.1", port));
		server = socket;
		Thread.ofVirtual().start(() -> accept(socket));
	}

	/** Drops every connection and refuses new ones, as a database that went away would. */
	public synchronized void cut() throws IOException {
		if (server != null) {
			server.close();
		}
		for (Socket s : sockets) {
			try {
				s.close();
			}
			catch (IOException ignored) {
				// already closed
			}
		}
		sockets.clear();
	}

	private void accept(ServerSocket socket) {
		while (!socket.isClosed()) {
			try {
				Socket client = socket.accept();
				Socket upstream = new Socket(targetHost, targetPort);
				sockets.add(client);
				sockets.add(upstream);
				Thread.ofVirtual().start(() -> pump(client, upstream, upstreamBytes));
				Thread.ofVirtual().start(() -> pump(upstream, client, new java.util.concurrent.atomic.AtomicLong()));
			}
			catch (IOException e) {
				// closed by cut(), or the target refused
			}
		}
	}

	private void pump(Socket from, Socket to, java.util.concurrent.atomic.AtomicLong counter) {
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			byte[] buffer = new byte[16 * 1024];
			int n;
			while ((n = in.read(buffer)) > 0) {
				out.write(buffer, 0, n);
				out.flush();
				counter.addAndGet(n);
			}
		}
		catch (IOException e) {
			// connection ended
		}
		finally {
			try {
				from.close();
				to.close();
			}
			catch (IOException ignored) {
				// already closed
			}
		}
	}

	@Override
	public void close() throws IOException {
		cut();
	}
}
