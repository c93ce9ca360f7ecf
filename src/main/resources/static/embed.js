// @ts-check
// What a link tells the player (?t= the time to start at, ?autoplay=1) and the embed mode: the
// embed page (/embed/{id}) is the watch page's own player (watch.html and watch.js, served with
// <body data-page="embed">), with the header, the info and the footer hidden by app.css.

const params = new URLSearchParams(location.search);

/** Whether this is the embed page, inside another site's iframe. */
export const EMBED = document.body.dataset.page === 'embed';

/**
 * Seconds from a `t` value in the forms people paste: 90, 90s, 1m30s, 1h2m3s, 1:30, 1:02:03;
 * 0 for anything else. The server reads links the same way (web/internal/StartTime.java).
 * @param {string | null | undefined} text
 */
export function parseStart(text) {
  const t = String(text ?? '').trim().toLowerCase();
  if (!t || t.length > 24) return 0;
  let seconds = 0;
  const clock = /^(?:(\d{1,6}):)?(\d{1,6}):(\d{2})$/.exec(t);
  const units = /^(?:(\d{1,6})h)?(?:(\d{1,6})m)?(?:(\d{1,7})s?)?$/.exec(t);
  if (clock) seconds = Number(clock[1] || 0) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
  else if (units && t !== 's') seconds = Number(units[1] || 0) * 3600 + Number(units[2] || 0) * 60 + Number(units[3] || 0);
  return seconds > 0 && seconds <= 7 * 24 * 3600 ? seconds : 0;
}

/** Where this page's link asks playback to start (seconds; 0 from the beginning). */
export const startAt = parseStart(params.get('t'));

/**
 * Whether to start playing by itself, getting the video ready for it: the watch page always tries
 * (the browser may refuse sound; then the big play button shows), the embed page only with
 * ?autoplay=1, and then muted, the one way browsers let a framed video start by itself.
 * @param {HTMLVideoElement} video
 */
export function mayAutoplay(video) {
  const asked = params.get('autoplay') === '1';
  if (asked) video.muted = true;
  return asked || !EMBED;
}

/**
 * Starts at ?t= once the video knows its length (hls.js or the browser then load from there).
 * @param {HTMLVideoElement} video
 */
export function seekToStart(video) {
  if (!startAt) return;
  video.addEventListener('loadedmetadata', () => {
    const end = Number.isFinite(video.duration) ? Math.max(0, video.duration - 0.5) : startAt;
    if (video.currentTime < startAt) video.currentTime = Math.min(startAt, end);
  }, { once: true });
}

/**
 * The embed page's own parts: the "Watch on VideoForge" link, and links that leave the frame.
 * @param {import('/api-types.js').Video} v
 */
export function setUpEmbed(v) {
  if (!EMBED) return;
  const link = /** @type {HTMLAnchorElement} */ (document.getElementById('embed-watch-link'));
  if (link) {
    link.href = `/watch/${encodeURIComponent(v.id)}`;
    link.hidden = false;
  }
}

if (EMBED) {
  // Any link in the frame opens in a tab of its own, never inside someone else's page.
  document.addEventListener('click', (e) => {
    const target = /** @type {Element} */ (e.target);
    const a = /** @type {HTMLAnchorElement} */ (target.closest && target.closest('a[href]'));
    if (a) {
      a.target = '_blank';
      a.rel = 'noopener';
    }
  }, true);
}
