/**
 * The Video aggregate and its lifecycle (UPLOADING → QUEUED → PROCESSING → READY | FAILED, and
 * playable before READY), visibility rules, captions and posters, status events (SSE) and the
 * gallery API.
 */
package dev.videoforge.catalog;
