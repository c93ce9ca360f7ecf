/**
 * The edge, in front of every request: request ids, the client's address behind trusted proxies,
 * CORS, the per-address rate limits (drawn from {@code limits}) and, when roles are split, the
 * proxy to the gallery and streaming instances (Spring Cloud Gateway with Spring Cloud
 * LoadBalancer: health-checked static instance lists, idempotent requests retried elsewhere).
 */
package dev.videoforge.gateway;
