/**
 * The {@code videoforge} command line (login, upload, ls, status, rm): a client of the public
 * HTTP API only, run from the same jar without starting Spring.
 */
package dev.videoforge.cli;
