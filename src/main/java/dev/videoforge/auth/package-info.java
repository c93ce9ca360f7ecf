/**
 * Accounts: registration (the first administrator by setup token), password hashing, TOTP second
 * factor, JWT access and refresh tokens, external OIDC tokens, account privileges (USER, ADMIN;
 * API.md and the tokens call them roles), the Spring Security chain, and who is calling
 * ({@link dev.videoforge.auth.CurrentUser}).
 */
package dev.videoforge.auth;
