package dev.videoforge.webhooks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.videoforge.shared.Refusal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The outbound-address rules, one class of address at a time. Addresses are built from their
 * bytes or literals (never looked up), and every URL here is refused or accepted before any DNS.
 */
class AddressGuardTests {

	private static InetAddress address(String literal) throws UnknownHostException {
		// A literal is parsed, not resolved; IPv6 forms stay IPv6 (getByAddress keeps all 16 bytes).
		InetAddress parsed = InetAddress.getByName(literal);
		if (literal.contains(":")) {
			byte[] bytes = new byte[16];
			byte[] raw = parsed.getAddress();
			if (raw.length == 4) {
				// ::ffff:a.b.c.d comes back as IPv4 from the JDK: rebuild the mapped form.
				bytes[10] = (byte) 0xff;
				bytes[11] = (byte) 0xff;
				System.arraycopy(raw, 0, bytes, 12, 4);
				return java.net.Inet6Address.getByAddress(null, bytes, -1);
			}
		}
		return parsed;
	}

	@ParameterizedTest(name = "{0} is {1}")
	@CsvSource(delimiter = '|', value = { "127.0.0.1|loopback", "127.255.255.254|loopback", "::1|loopback",
			"0.0.0.0|unspecified", "0.1.2.3|unspecified", "::|unspecified", "10.0.0.1|private", "10.255.255.255|private",
			"172.16.0.1|private", "172.31.255.255|private", "192.168.0.1|private", "fc00::1|private", "fd12:3456::1|private",
			"169.254.169.254|link-local", "169.254.0.1|link-local", "fe80::1|link-local", "febf::1|link-local",
			"fec0::1|site-local", "100.64.0.1|carrier-grade NAT", "100.127.255.255|carrier-grade NAT",
			"224.0.0.1|multicast", "239.255.255.250|multicast", "ff02::1|multicast", "240.0.0.1|reserved",
			"255.255.255.255|broadcast", "192.0.0.8|reserved", "192.0.2.1|reserved", "198.18.0.1|benchmarking",
			"198.51.100.7|documentation", "203.0.113.9|documentation", "2001:db8::1|documentation",
			"::ffff:127.0.0.1|IPv4-mapped address of loopback", "::ffff:169.254.169.254|IPv4-mapped address of a link-local",
			"::ffff:10.1.2.3|IPv4-mapped address of a private", "::127.0.0.1|IPv4-compatible address of loopback",
			"64:ff9b::a9fe:a9fe|NAT64 address of a link-local", "2002:7f00:1::|6to4 address of loopback",
			"2002:c0a8:101::1|6to4 address of a private" })
	void refusesAddressesInsideTheNetwork(String literal, String kind) throws UnknownHostException {
		assertThat(AddressGuard.refusal(address(literal))).isNotNull().contains(kind);
	}

	@ParameterizedTest
	@ValueSource(strings = { "93.184.216.34", "8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.1", "100.63.255.255",
			"100.128.0.1", "169.253.1.1", "192.169.0.1", "11.0.0.1", "2606:4700:4700::1111", "2a00:1450:4001::200e",
			"::ffff:93.184.216.34", "2002:5db8:d822::1", "64:ff9b::808:808" })
	void acceptsPublicAddresses(String literal) throws UnknownHostException {
		assertThat(AddressGuard.refusal(address(literal))).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1/", "http://localhost:8080/", "http://LocalHost./", "http://a.b.localhost/",
			"http://[::1]/", "http://[0:0:0:0:0:ffff:7f00:1]/", "http://169.254.169.254/", "http://0x7f000001/",
			"http://0x7f.0.0.1/", "http://2130706433/", "http://017700000001/", "http://127.1/", "http://0177.0.0.01/",
			"http://10.0.0.1./", "ftp://93.184.216.34/", "file:///etc/passwd", "javascript:alert(1)", "http://u:p@93.184.216.34/",
			"http://u@93.184.216.34/", "http:///path", "http://93.184.216.34:0/", "http://93.184.216.34:70000/",
			"http://bad host/", "http://[zz::1]/", "https://93.184.216.34/#f" })
	void refusesUrlsBeforeAnyLookup(String url) {
		AddressGuard guard = new AddressGuard(false, 2000);
		assertThatThrownBy(() -> guard.check(url)).isInstanceOf(Refusal.class)
				.satisfies(e -> assertThat(((Refusal) e).code()).isEqualTo("invalid_url"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1:9/", "http://[::1]/", "http://10.0.0.1/x" })
	void privateAddressesPassWhenAllowed(String url) {
		assertThat(new AddressGuard(true, 2000).check(url).addresses()).hasSize(1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://93.184.216.34/hook", "http://93.184.216.34:8080/a?b=c", "https://[2606:4700:4700::1111]/" })
	void publicLiteralsPassAndConnectToThatAddressOnly(String url) {
		AddressGuard.Target target = new AddressGuard(false, 2000).check(url);
		assertThat(target.addresses()).hasSize(1);
	}

	@org.junit.jupiter.api.Test
	void longUrlsAreRefused() {
		String url = "https://93.184.216.34/" + "a".repeat(100);
		assertThatThrownBy(() -> new AddressGuard(false, 100).check(url)).isInstanceOf(Refusal.class);
	}
}
