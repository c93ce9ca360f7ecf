// What some browsers have beyond the DOM types of TypeScript's lib, as the pages use it. Not served.

interface HTMLVideoElement {
  /** iOS Safari: the video alone full screen (an iPhone has no Fullscreen API for other elements). */
  webkitEnterFullscreen?(): void;
}
