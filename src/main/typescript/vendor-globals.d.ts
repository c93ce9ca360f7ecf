// The vendored scripts that pages load with a plain <script> (the pom unpacks them from the npm
// registry into /vendor/), typed by the same versions' own declarations (package.json's
// devDependencies, pinned to the pom's hlsjs.version and tusjs.version). Not served.
import type HlsPlayer from 'hls.js';
import type * as TusClient from 'tus-js-client';

declare global {
  /** hls.js (watch.html: /vendor/hls.min.js); undefined where the script did not load. */
  var Hls: typeof HlsPlayer | undefined;
  /** tus-js-client's browser bundle (upload.html: /vendor/tus.min.js); undefined where it did not load. */
  var tus: typeof TusClient | undefined;
}

export {};
