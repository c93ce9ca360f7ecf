/**
 * Accounts: registration (the first administrator by setup token), password hashing, TOTP second
 * factor, JWT access and refresh tokens, external OIDC tokens, account roles (USER, ADMIN), the
 * Spring Security chain, and who is calling ({@link dev.videoforge.auth.CurrentUser}).
 */
package dev.videoforge.auth;
