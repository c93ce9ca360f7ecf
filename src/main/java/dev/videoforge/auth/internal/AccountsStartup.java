package dev.videoforge.auth.internal;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/** Once the database is migrated: clear TOTP secrets get encrypted, and the setup token is written or removed. */
@Component
class AccountsStartup implements ApplicationRunner {

	private final UserRepository users;
	private final FirstAdministrator firstAdministrator;

	AccountsStartup(UserRepository users, FirstAdministrator firstAdministrator) {
		this.users = users;
		this.firstAdministrator = firstAdministrator;
	}

	@Override
	public void run(ApplicationArguments args) throws Exception {
		users.encryptPlaintextSecrets();
		firstAdministrator.prepare();
	}
}
