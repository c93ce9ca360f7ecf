/**
 * The edge: rate limits (and, as roles split, routing, CORS and TLS).
 */
package dev.videoforge.gateway;
