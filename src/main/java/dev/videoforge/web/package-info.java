/**
 * The pages: the watch page as crawlers see it (oEmbed discovery, OpenGraph), the embed page for
 * other sites' iframes, and the oEmbed API that describes them.
 */
package dev.videoforge.web;
