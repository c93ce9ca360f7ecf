package dev.videoforge.auth.internal;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class UserRepository {

	record User(String id, String username, String passwordHash, List<String> roles) {
	}

	private final JdbcClient jdbc;

	UserRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<User> findByUsername(String username) {
		return jdbc.sql("SELECT id, username, password_hash, roles FROM users WHERE username = ?").param(username)
				.query((rs, n) -> new User(rs.getString(1), rs.getString(2), rs.getString(3), roles(rs.getString(4))))
				.optional();
	}

	Optional<User> findById(String id) {
		return jdbc.sql("SELECT id, username, password_hash, roles FROM users WHERE id = ?").param(id)
				.query((rs, n) -> new User(rs.getString(1), rs.getString(2), rs.getString(3), roles(rs.getString(4))))
				.optional();
	}

	boolean any() {
		return jdbc.sql("SELECT COUNT(*) FROM users").query(Long.class).single() > 0;
	}

	void insert(User user) {
		jdbc.sql("INSERT INTO users (id, username, password_hash, roles, created_at) VALUES (?, ?, ?, ?, ?)")
				.params(user.id(), user.username(), user.passwordHash(), String.join(",", user.roles()),
						OffsetDateTime.now(ZoneOffset.UTC))
				.update();
	}

	private static List<String> roles(String value) {
		return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
	}
}
