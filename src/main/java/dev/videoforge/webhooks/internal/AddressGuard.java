package dev.videoforge.webhooks.internal;

import dev.videoforge.shared.Refusal;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a webhook may be sent. A user names the URL, so without these rules the server would
 * call into its own network for them (SSRF): its database, the cloud's metadata service at
 * 169.254.169.254, an admin port on localhost. The rules, in the order they are checked:
 * <ol>
 * <li>http or https only; no user name or password in the URL; a port from 1 to 65535.</li>
 * <li>A host that looks like a number must be a plain dotted quad: {@code 0x7f000001},
 * {@code 2130706433} or {@code 127.1} mean 127.0.0.1 to the C resolver but not to a reader.</li>
 * <li>{@code localhost} and {@code *.localhost} are loopback by name (RFC 6761 §6.3).</li>
 * <li>The host is resolved once; every address it resolves to must be public
 * ({@link #refusal(InetAddress)}), and the request then connects to exactly those addresses
 * ({@link WebhookSender}'s resolver), so a name that changes between the check and the
 * connection (DNS rebinding) cannot reach anything else.</li>
 * </ol>
 * Unless {@code videoforge.webhooks.allow-private-addresses} is on, the address rules apply at
 * creation (400) and at every send (DNS may have changed since).
 */
final class AddressGuard {

	/** An endpoint URL that passed: the host and the addresses a request may connect to. */
	record Target(URI uri, String host, InetAddress[] addresses) {
	}

	/** Hostnames whose last label is numeric (or hex) are IP addresses in some notation. */
	private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0x[0-9a-f]*");
	private static final Pattern DOTTED_QUAD = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
	private static final Pattern HOSTNAME = Pattern.compile("[a-z0-9]([a-z0-9_-]{0,62})(\\.[a-z0-9_]([a-z0-9_-]{0,62}))*\\.?");

	private final boolean allowPrivate;
	private final int maxUrlLength;

	AddressGuard(boolean allowPrivate, int maxUrlLength) {
		this.allowPrivate = allowPrivate;
		this.maxUrlLength = maxUrlLength;
	}

	/** Checks the URL's form only (no DNS); returns it parsed. */
	URI parse(String url) {
		if (url == null || url.isBlank()) {
			throw invalid("a URL is required");
		}
		if (url.length() > maxUrlLength) {
			throw invalid("a URL has at most " + maxUrlLength + " characters");
		}
		URI uri;
		try {
			uri = new URI(url.strip());
		}
		catch (URISyntaxException e) {
			throw invalid("not a URL: " + e.getReason());
		}
		String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		if (!scheme.equals("http") && !scheme.equals("https")) {
			throw invalid("only http and https URLs are accepted");
		}
		if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
			throw invalid("a URL with a user name or password is not accepted; authenticate the request with its signature");
		}
		if (uri.getHost() == null || uri.getHost().isEmpty()) {
			throw invalid("the URL has no host name that can be used (ASCII letters, digits, hyphens; IDNs in their xn-- form)");
		}
		if (uri.getPort() == 0 || uri.getPort() > 65535) {
			throw invalid("the port is between 1 and 65535");
		}
		if (uri.getRawFragment() != null) {
			throw invalid("a URL with a fragment (#...) is not accepted");
		}
		return uri;
	}

	/** Checks the URL and its host's addresses now (resolving the host once); returns where to connect. */
	Target check(String url) {
		URI uri = parse(url);
		String host = uri.getHost().toLowerCase(Locale.ROOT);
		InetAddress[] addresses = resolve(host);
		if (!allowPrivate) {
			for (InetAddress address : addresses) {
				String refusal = refusal(address);
				if (refusal != null) {
					throw invalid("the URL's host " + host + " is " + refusal + " (" + address.getHostAddress()
							+ "); webhooks go to public addresses only");
				}
			}
		}
		return new Target(uri, host, addresses);
	}

	private InetAddress[] resolve(String host) {
		try {
			if (host.startsWith("[") && host.endsWith("]")) {
				// A bracketed literal is parsed, never looked up (and refused when it is not an IPv6 address).
				return new InetAddress[] { InetAddress.getByName(host) };
			}
			String lastLabel = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
			lastLabel = lastLabel.substring(lastLabel.lastIndexOf('.') + 1);
			if (NUMERIC_LABEL.matcher(lastLabel).matches()) {
				if (!DOTTED_QUAD.matcher(host).matches()) {
					throw invalid("the host " + host + " looks like an IP address in an unusual notation; write it as four decimal numbers (a.b.c.d)");
				}
				// A plain dotted quad is parsed, never looked up.
				return new InetAddress[] { InetAddress.getByName(host) };
			}
			if (!HOSTNAME.matcher(host).matches()) {
				throw invalid("the host " + host + " is not a valid host name");
			}
			if (!allowPrivate && (host.equals("localhost") || host.endsWith(".localhost") || host.equals("localhost.")
					|| host.endsWith(".localhost."))) {
				throw invalid("the URL's host " + host + " is loopback (localhost); webhooks go to public addresses only");
			}
			InetAddress[] all = InetAddress.getAllByName(host);
			if (all.length == 0) {
				throw new UnknownHostException(host);
			}
			return all;
		}
		catch (UnknownHostException | IllegalArgumentException e) {
			// (Refusal is neither: the refusals above pass through.)
			throw invalid("the host " + host + " could not be resolved");
		}
	}

	/**
	 * Why an address may not be called, or null when it is public: loopback, unspecified,
	 * private (RFC 1918, unique local fc00::/7), link-local (169.254/16 with the cloud metadata
	 * service, fe80::/10), carrier-grade NAT (100.64/10), multicast, broadcast and reserved ranges,
	 * documentation and benchmarking ranges, and IPv6 forms that embed an IPv4 address
	 * (IPv4-mapped, IPv4-compatible, NAT64 64:ff9b::/96, 6to4 2002::/16), judged by that address.
	 */
	static String refusal(InetAddress address) {
		byte[] b = address.getAddress();
		if (address instanceof Inet4Address) {
			return refusal4(b);
		}
		if (address instanceof Inet6Address) {
			if (address.isLoopbackAddress()) {
				return "loopback";
			}
			if (address.isAnyLocalAddress()) {
				return "the unspecified address";
			}
			boolean firstTenZero = true;
			for (int i = 0; i < 10; i++) {
				firstTenZero &= b[i] == 0;
			}
			if (firstTenZero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
				return embedded(Arrays.copyOfRange(b, 12, 16), "an IPv4-mapped address");
			}
			if (firstTenZero && b[10] == 0 && b[11] == 0) {
				return embedded(Arrays.copyOfRange(b, 12, 16), "an IPv4-compatible address");
			}
			if (b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
				return embedded(Arrays.copyOfRange(b, 12, 16), "a NAT64 address");
			}
			if (b[0] == 0x20 && b[1] == 0x02) {
				return embedded(Arrays.copyOfRange(b, 2, 6), "a 6to4 address");
			}
			int first = b[0] & 0xff;
			if ((first & 0xfe) == 0xfc) {
				return "a private address (unique local fc00::/7)";
			}
			if (first == 0xfe && (b[1] & 0xc0) == 0x80) {
				return "a link-local address (fe80::/10)";
			}
			if (first == 0xfe && (b[1] & 0xc0) == 0xc0) {
				return "a site-local address (fec0::/10)";
			}
			if (first == 0xff) {
				return "a multicast address";
			}
			if (first == 0x20 && b[1] == 0x01 && b[2] == 0x0d && (b[3] & 0xff) == 0xb8) {
				return "a documentation address (2001:db8::/32)";
			}
			return null;
		}
		return "not an IP address";
	}

	private static String embedded(byte[] v4, String form) {
		String inner = refusal4(v4);
		return inner == null ? null : form + " of " + inner;
	}

	private static String refusal4(byte[] b) {
		int a = b[0] & 0xff;
		int second = b[1] & 0xff;
		int third = b[2] & 0xff;
		if (a == 127) {
			return "loopback";
		}
		if (a == 0) {
			return "the unspecified address (0.0.0.0/8)";
		}
		if (a == 10 || (a == 172 && second >= 16 && second <= 31) || (a == 192 && second == 168)) {
			return "a private address (RFC 1918)";
		}
		if (a == 169 && second == 254) {
			return "a link-local address (169.254.0.0/16, the cloud metadata service's)";
		}
		if (a == 100 && second >= 64 && second <= 127) {
			return "a carrier-grade NAT address (100.64.0.0/10)";
		}
		if (a >= 224 && a <= 239) {
			return "a multicast address";
		}
		if (a >= 240) {
			return "a reserved or broadcast address";
		}
		if (a == 192 && second == 0 && (third == 0 || third == 2)) {
			return "a reserved address (192.0.0.0/24 or 192.0.2.0/24)";
		}
		if (a == 198 && (second == 18 || second == 19)) {
			return "a benchmarking address (198.18.0.0/15)";
		}
		if ((a == 198 && second == 51 && third == 100) || (a == 203 && second == 0 && third == 113)) {
			return "a documentation address";
		}
		return null;
	}

	static Refusal invalid(String message) {
		return new Refusal.Invalid("invalid_url", message);
	}
}
