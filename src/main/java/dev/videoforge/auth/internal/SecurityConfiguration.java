package dev.videoforge.auth.internal;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import dev.videoforge.auth.AuthSettings;
import dev.videoforge.auth.CurrentUser;
import dev.videoforge.auth.OidcSettings;
import dev.videoforge.shared.ErrorBody;
import dev.videoforge.shared.Secrets;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.frameoptions.XFrameOptionsHeaderWriter;

/**
 * Stateless bearer-token security. Access tokens are HS256 JWTs this server signs; anonymous
 * callers reach public routes, and every refusal is API.md's error JSON.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ AuthSettings.class, OidcSettings.class })
class SecurityConfiguration {

	@Bean
	SecurityFilterChain apiSecurity(HttpSecurity http, JwtDecoder accessTokenDecoder,
			@Value("${management.server.port:-1}") int managementPort, @Value("${server.port:8080}") int serverPort)
			throws Exception {
		// Metrics are not public (API.md, Operations): on the management port, which operators keep
		// off the internet, anyone there may scrape; on the public port only an administrator.
		boolean ownPort = managementPort > 0 && managementPort != serverPort;
		org.springframework.security.web.util.matcher.RequestMatcher onManagementPort =
				request -> ownPort && request.getLocalPort() == managementPort;
		http.csrf(csrf -> csrf.disable())
				// CORS is the gateway's filter, in front of this chain (preflights never reach it).
				.cors(cors -> cors.disable())
				.sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS)
						// No sessions, so nothing to fix; containers without sessions (Lambda) cannot rotate one.
						.sessionFixation(f -> f.none()))
				// X-Frame-Options: DENY everywhere but the embed page, which other sites frame (its
				// CSP frame-ancestors, videoforge.web.embed-frame-ancestors, says which).
				.headers(headers -> headers.frameOptions(frame -> frame.disable())
						.addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
								request -> !request.getRequestURI().startsWith("/embed/"),
								new XFrameOptionsHeaderWriter(XFrameOptionsHeaderWriter.XFrameOptionsMode.DENY))))
				.httpBasic(b -> b.disable())
				.formLogin(f -> f.disable())
				.authorizeHttpRequests(auth -> auth
						.requestMatchers(HttpMethod.OPTIONS, "/**").permitAll()
						.requestMatchers("/api/auth/me", "/api/auth/password", "/api/auth/mfa/setup", "/api/auth/mfa/enable",
								"/api/auth/mfa/disable", "/api/auth/mfa/recovery-codes")
						.authenticated()
						.requestMatchers("/api/uploads", "/api/uploads/**", "/api/direct-uploads", "/api/direct-uploads/**").authenticated()
						.requestMatchers("/api/webhooks", "/api/webhooks/**").authenticated()
						.requestMatchers(HttpMethod.POST, "/api/videos").authenticated()
						.requestMatchers(HttpMethod.PATCH, "/api/gallery/**").authenticated()
						.requestMatchers(HttpMethod.POST, "/api/gallery/videos/*/captions").authenticated()
						.requestMatchers(HttpMethod.DELETE, "/api/gallery/**").authenticated()
						.requestMatchers(HttpMethod.POST, "/api/gallery/videos/*/thumbnail").authenticated()
						.requestMatchers("/api/admin/**").hasRole(CurrentUser.ADMIN)
						.requestMatchers(onManagementPort).permitAll()
						.requestMatchers("/actuator/prometheus", "/actuator/prometheus/**").hasRole(CurrentUser.ADMIN)
						// Embeds are for anyone's page: the embed page and oEmbed never ask who is calling.
						.requestMatchers("/embed/**", "/api/oembed").permitAll()
						.anyRequest().permitAll())
				.oauth2ResourceServer(rs -> rs
						.jwt(jwt -> jwt.decoder(accessTokenDecoder).jwtAuthenticationConverter(authenticationConverter()))
						.authenticationEntryPoint((request, response, e) -> write(response, 401, "unauthenticated",
								"a valid access token is needed (Authorization: Bearer ...)"))
						.accessDeniedHandler((request, response, e) -> write(response, 403, "forbidden",
								"your account may not do this")))
				.exceptionHandling(ex -> ex
						.authenticationEntryPoint((request, response, e) -> write(response, 401, "unauthenticated",
								"a valid access token is needed (Authorization: Bearer ...)"))
						.accessDeniedHandler((request, response, e) -> write(response, 403, "forbidden",
								"your account may not do this")));
		return http.build();
	}

	private static void write(HttpServletResponse response, int status, String code, String message) throws IOException {
		ErrorBody.write(response, status, code, message);
	}

	private static JwtAuthenticationConverter authenticationConverter() {
		JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
		converter.setJwtGrantedAuthoritiesConverter(jwt -> {
			Collection<GrantedAuthority> authorities = new ArrayList<>();
			List<String> privileges = jwt.getClaimAsStringList(CurrentUser.PRIVILEGES_CLAIM);
			if (privileges != null) {
				privileges.forEach(r -> authorities.add(new SimpleGrantedAuthority("ROLE_" + r)));
			}
			return authorities;
		});
		return converter;
	}

	@Bean
	SecretKey jwtKey(AuthSettings settings, @Value("${videoforge.data-dir}") Path dataDir) throws IOException {
		byte[] key;
		if (settings.jwtSecret() != null && !settings.jwtSecret().isBlank()) {
			key = settings.jwtSecret().getBytes(StandardCharsets.UTF_8);
			if (key.length < 32) {
				throw new IllegalStateException("videoforge.auth.jwt-secret must be at least 32 characters");
			}
		}
		else {
			key = Secrets.loadOrCreate(dataDir.resolve("secrets").resolve("jwt.key"), 32);
		}
		return new SecretKeySpec(key, "HmacSHA256");
	}

	@Bean
	JwtEncoder jwtEncoder(SecretKey jwtKey) {
		return new NimbusJwtEncoder(new ImmutableSecret<>(jwtKey));
	}

	/**
	 * Verifies signature, expiry, issuer and that the token is an access token (not a refresh
	 * token); and, with an OIDC provider configured, the provider's tokens too.
	 */
	@Bean
	@Primary
	JwtDecoder accessTokenDecoder(SecretKey jwtKey, OidcSettings oidc, ExternalIdentities identities) {
		JwtDecoder local = ownTokens(jwtKey, "access");
		if (!oidc.enabled()) {
			return local;
		}
		if (oidc.audience() == null || oidc.audience().isBlank()) {
			throw new IllegalStateException("videoforge.auth.oidc.audience is required with an OIDC provider: without it, "
					+ "tokens the provider issued to any other application would be accepted");
		}
		NimbusJwtDecoder external = NimbusJwtDecoder.withJwkSetUri(oidc.jwksUri().toString())
				.jwsAlgorithm(SignatureAlgorithm.RS256).jwsAlgorithm(SignatureAlgorithm.ES256).build();
		OAuth2TokenValidator<Jwt> audience = jwt -> {
			String expected = oidc.audience();
			// An ID token says who someone is to one client; only access tokens open the API.
			String use = jwt.getClaimAsString("token_use");
			String typ = jwt.getClaimAsString("typ");
			boolean idToken = (use != null && !use.equals("access")) || "ID".equalsIgnoreCase(typ);
			boolean ok = !idToken && ((jwt.getAudience() != null && jwt.getAudience().contains(expected))
					|| expected.equals(jwt.getClaimAsString("client_id")));
			return ok ? OAuth2TokenValidatorResult.success()
					: OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "wrong audience", null));
		};
		external.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
				JwtValidators.createDefaultWithIssuer(oidc.issuer().toString()), audience));
		return new ExternalAwareJwtDecoder(local, external, oidc, identities);
	}

	private static OAuth2TokenValidator<Jwt> type(String expected) {
		return jwt -> expected.equals(jwt.getClaimAsString(TokenService.TYPE_CLAIM)) ? OAuth2TokenValidatorResult.success()
				: OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "not an " + expected + " token", null));
	}

	@Bean
	JwtDecoder refreshDecoder(SecretKey jwtKey) {
		return ownTokens(jwtKey, "refresh");
	}

	@Bean
	PasswordEncoder passwordEncoder() {
		return new BCryptPasswordEncoder();
	}

	@Bean
	TokenService tokenService(JwtEncoder encoder, AuthSettings settings, CredentialStore credentials) {
		return new TokenService(encoder, settings, credentials);
	}

	@Bean
	JwtDecoder mfaDecoder(SecretKey jwtKey) {
		return ownTokens(jwtKey, "mfa");
	}

	/** This server's HS256 tokens of one kind: signature, expiry, issuer and the {@code typ} claim checked. */
	private static JwtDecoder ownTokens(SecretKey jwtKey, String type) {
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(jwtKey).macAlgorithm(MacAlgorithm.HS256).build();
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
				JwtValidators.createDefaultWithIssuer(TokenService.ISSUER), type(type)));
		return decoder;
	}
}
