/**
 * Accounts: registration, password hashing, JWT access and refresh tokens, roles, and who is calling.
 */
package dev.videoforge.auth;
