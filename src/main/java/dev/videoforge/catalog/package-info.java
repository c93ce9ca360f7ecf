/**
 * The Video aggregate and its lifecycle (UPLOADING → QUEUED → PROCESSING → READY | FAILED),
 * visibility rules and the gallery API.
 */
package dev.videoforge.catalog;
