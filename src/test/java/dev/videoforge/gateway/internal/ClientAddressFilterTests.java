package dev.videoforge.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which address a request counts as: what a client can and cannot make the server believe. */
class ClientAddressFilterTests {

	private static String client(ClientAddressFilter filter, String peer, String... forwardedFor) {
		return filter.clientAddress(peer, Collections.enumeration(List.of(forwardedFor)));
	}

	@Test
	void aPeerThatIsNoTrustedProxyCannotNameAnotherAddress() {
		ClientAddressFilter filter = new ClientAddressFilter(List.of("10.0.0.0/8"), false);
		assertThat(client(filter, "203.0.113.9", "198.51.100.1")).isEqualTo("203.0.113.9");
		assertThat(client(filter, "203.0.113.9")).isEqualTo("203.0.113.9");
	}

	@Test
	void behindTrustedProxiesTheClientIsTheFirstAddressTheyVouchFor() {
		ClientAddressFilter filter = new ClientAddressFilter(List.of("10.0.0.0/8", "192.168.1.5"), false);
		// The client put "1.2.3.4" in front itself; the load balancer (192.168.1.5) appended what it saw.
		assertThat(client(filter, "10.1.2.3", "1.2.3.4, 198.51.100.7, 192.168.1.5")).isEqualTo("198.51.100.7");
		// Two headers are one list.
		assertThat(client(filter, "10.1.2.3", "1.2.3.4", "198.51.100.7")).isEqualTo("198.51.100.7");
		assertThat(client(filter, "10.1.2.3", "2001:db8::1")).isEqualTo("2001:db8::1");
	}

	@Test
	void textThatIsNoAddressNeverBecomesTheClient() {
		ClientAddressFilter filter = new ClientAddressFilter(List.of("10.0.0.0/8"), false);
		assertThat(client(filter, "10.1.2.3", "x".repeat(10_000))).isEqualTo("10.1.2.3");
		assertThat(client(filter, "10.1.2.3", "evil.example")).isEqualTo("10.1.2.3");
		assertThat(client(filter, "10.1.2.3", "198.51.100.7, cafe")).isEqualTo("10.1.2.3");
		assertThat(client(filter, "10.1.2.3", "999.1.1.1")).isEqualTo("10.1.2.3");
	}

	@Test
	void trustForwardedForBelievesOnlyTheLastHop() {
		ClientAddressFilter filter = new ClientAddressFilter(List.of(), true);
		assertThat(client(filter, "127.0.0.1", "1.2.3.4, 10.2.0.1")).isEqualTo("10.2.0.1");
		assertThat(client(filter, "127.0.0.1")).isEqualTo("127.0.0.1");
	}
}
