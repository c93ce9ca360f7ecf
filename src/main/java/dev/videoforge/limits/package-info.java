/**
 * Rate limits: token buckets by name and key (a client address, an account), in this process's
 * memory or, in a fleet, in the PostgreSQL every gateway shares ({@code videoforge.rate-limit.*}).
 * The gateway's edge filter and the login and code endpoints of {@code auth} draw from them.
 */
package dev.videoforge.limits;
