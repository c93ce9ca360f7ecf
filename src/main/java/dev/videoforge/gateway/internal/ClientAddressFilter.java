package dev.videoforge.gateway.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Makes {@link HttpServletRequest#getRemoteAddr()} the client's address for everything after it
 * (rate limits, stream caps, logs). {@code X-Forwarded-For} is believed only from a trusted peer:
 * one listed in {@code videoforge.gateway.trusted-proxies}, or any peer with
 * {@code videoforge.rate-limit.trust-forwarded-for}. From such a peer the header is read right to
 * left, past the trusted proxies, to the first address a trusted proxy vouches for; entries
 * further left are whatever the client sent and are never used. An entry that is not an IP
 * literal ends the walk, so no client-chosen text becomes a rate-limit key.
 */
class ClientAddressFilter extends OncePerRequestFilter {

	/** An IPv4 or IPv6 literal (IPv6 has a colon, which no host name has): parsing it never asks DNS. */
	private static final Pattern IP = Pattern.compile("(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}|(?=.{2,45}$)[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*");

	private final List<IpAddressMatcher> trusted;
	private final boolean trustAnyPeer;

	ClientAddressFilter(List<String> trustedProxies, boolean trustAnyPeer) {
		this.trusted = trustedProxies.stream().map(String::strip).filter(s -> !s.isEmpty()).map(IpAddressMatcher::new).toList();
		this.trustAnyPeer = trustAnyPeer;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String client = clientAddress(request.getRemoteAddr(), request.getHeaders("X-Forwarded-For"));
		if (client.equals(request.getRemoteAddr())) {
			chain.doFilter(request, response);
			return;
		}
		chain.doFilter(new HttpServletRequestWrapper(request) {
			@Override
			public String getRemoteAddr() {
				return client;
			}

			@Override
			public String getRemoteHost() {
				return client;
			}
		}, response);
	}

	String clientAddress(String peer, java.util.Enumeration<String> forwardedHeaders) {
		if (!(trustAnyPeer || isTrusted(peer)) || forwardedHeaders == null || !forwardedHeaders.hasMoreElements()) {
			return peer;
		}
		// Several X-Forwarded-For headers are one list, in order (RFC 9110 §5.3).
		StringBuilder joined = new StringBuilder();
		forwardedHeaders.asIterator().forEachRemaining(h -> joined.append(joined.isEmpty() ? "" : ",").append(h));
		String[] hops = joined.toString().split(",");
		String client = peer;
		for (int i = hops.length - 1; i >= 0; i--) {
			String hop = hops[i].strip();
			if (!IP.matcher(hop).matches() || !parses(hop)) {
				break;
			}
			client = hop;
			if (!isTrusted(hop)) {
				break;
			}
		}
		return client;
	}

	private boolean isTrusted(String address) {
		if (!IP.matcher(address).matches()) {
			return false;
		}
		for (IpAddressMatcher matcher : trusted) {
			try {
				if (matcher.matches(address)) {
					return true;
				}
			}
			catch (IllegalArgumentException e) {
				return false;
			}
		}
		return false;
	}

	private static boolean parses(String literal) {
		try {
			// Only literals get here (digits, dots, hex and colons): this never resolves a name.
			new IpAddressMatcher(literal);
			return true;
		}
		catch (IllegalArgumentException e) {
			return false;
		}
	}
}
