// @ts-check
// Watch: the HLS player (hls.js; Safari plays HLS itself) with a quality menu, storyboard previews
// while scrubbing, and the video's title, owner and description. The stream URLs come from
// GET /api/stream/{id}/qualities, signed by the server for UNLISTED and PRIVATE videos.
import {
  $, api, session, h, icons, showAlert, errorText, followVideo, formatDuration, formatDate, timeAgo,
  STATUS, STATUS_LABEL, VISIBILITY, VISIBILITY_LABEL,
} from '/app.js';
import { mayAutoplay, seekToStart, setUpEmbed } from '/embed.js';
import { setUpShare } from '/share.js';
import { wireCaptionsMenu, wireNativeCaptions, ownerCaptions } from '/watch-captions.js';
import { renderDownload } from '/download.js';

/** @typedef {import('/api-types.js').Video} Video */
/** @typedef {import('/api-types.js').StreamQualities} StreamQualities */
/** @typedef {import('/app.js').ApiError} ApiError */
/** @typedef {import('hls.js').default} HlsPlayer */
/** @typedef {import('hls.js').Level} Level */
/**
 * A storyboard tile: from `start` to `end` (seconds), the rectangle x, y, w, h of the sprite at `src`.
 * @typedef {{start: number, end: number, src: string, x: number, y: number, w: number, h: number}} Cue
 */

const player = $('player');
const video = $('video', HTMLVideoElement);
const seek = $('seek', HTMLInputElement);
const preview = $('preview');
const previewFrame = /** @type {HTMLElement} */ (preview.querySelector('.frame'));
const previewTime = preview.querySelector('.t');
const quality = $('quality', HTMLSelectElement);
const playToggle = $('play-toggle');
const bigPlay = $('big-play');
const muteButton = $('mute');
const volume = $('volume', HTMLInputElement);
const timeLabel = $('time');
const message = $('player-message');

const videoId = (() => {
  const match = location.pathname.match(/^\/(?:watch|embed)\/([^/]+)/);
  return match ? decodeURIComponent(match[1]) : new URLSearchParams(location.search).get('id');
})();

/** @type {HlsPlayer | null} */
let hls = null;
/**
 * The video as last rendered.
 * @type {Video | null}
 */
let current = null;
/** How many qualities the player started with: one, when it started on a first rendition before READY. */
let startedQualities = 0;
/** The start of a player begun before READY, while it fetches its stream's URLs. */
let playerStarting = null;
/** A stream loaded again for a viewer who had paused: it stays paused. */
let keepPaused = false;
/** @type {Cue[]} */
let storyboard = [];
let scrubbing = false;

bigPlay.innerHTML = icons.play;
$('fullscreen').innerHTML = icons.fullscreen;

/** @param {string} text empty hides the message */
function showMessage(text) {
  message.textContent = text;
  message.hidden = !text;
}

/** @param {ApiError} [err] why, when it is not a plain 404 */
function notFound(err) {
  const box = h('div', { class: 'empty', id: 'video-not-found' });
  box.innerHTML = icons.lock;
  box.append(h('h2', {}, 'This video is not available'),
    h('p', {}, err && err.status !== 404 ? errorText(err)
      : 'It does not exist, it was deleted, or it is private.'
        + (session.signedIn ? '' : ' If it is yours, log in to watch it.')),
    h('div', { class: 'row', style: 'justify-content:center' },
      h('a', { class: 'btn', href: '/' }, 'Browse videos'),
      session.signedIn ? null : h('a', { class: 'btn secondary', href: '/login?next=' + encodeURIComponent(location.pathname) }, 'Log in')));
  $('not-found').replaceChildren(box);
  $('not-found').hidden = false;
  $('watch').hidden = true;
  document.title = 'Not available · VideoForge';
}

/** @param {Video} v */
function renderInfo(v) {
  current = v;
  document.title = `${v.title} · VideoForge`;
  $('video-title').textContent = v.title;
  $('video-owner').textContent = v.owner?.username || '';
  $('owner-avatar').textContent = (v.owner?.username || '?').charAt(0);
  const date = $('video-date');
  date.textContent = timeAgo(v.createdAt);
  date.title = formatDate(v.createdAt);
  const facts = [];
  if (v.durationSeconds) facts.push(formatDuration(v.durationSeconds));
  const audioOnly = v.status === STATUS.READY && !v.width;
  if (audioOnly) facts.push('audio only');
  else if (v.qualities?.length) facts.push('up to ' + v.qualities[0]);
  player.classList.toggle('audio-only', audioOnly);
  if (v.thumbnailUrl) video.poster = v.thumbnailUrl;
  $('video-facts').textContent = facts.join(' · ');
  const badges = $('video-badges');
  badges.replaceChildren();
  if (v.visibility !== VISIBILITY.PUBLIC) {
    badges.append(h('span', { class: 'badge ' + v.visibility }, VISIBILITY_LABEL[v.visibility]),
      h('span', { class: 'muted small' }, v.visibility === VISIBILITY.PRIVATE ? 'Only you can see this video.' : 'Anyone with the link can watch; it is not listed in the gallery.'));
  }
  const description = v.description?.trim();
  $('video-description').textContent = description || 'No description.';
  $('video-description').classList.toggle('muted', !description);
  const me = session.user();
  $('manage-link').hidden = !(me && (me.id === v.owner?.id || me.roles.includes('ADMIN')));
  $('manage-link', HTMLAnchorElement).href = '/my#video-' + encodeURIComponent(v.id);
  setUpShare(v, video);
  setUpEmbed(v);
  if (v.status === STATUS.READY && !$('manage-link').hidden && $('captions-owner').hidden) ownerCaptions(v, restartPlayer);
  $('watch').hidden = false;
}

/** @param {Video} v */
function renderProcessing(v) {
  const box = $('processing');
  const failed = v.status === STATUS.FAILED;
  box.hidden = false;
  player.hidden = true;
  $('processing-title').textContent = failed ? 'Processing failed' : `${STATUS_LABEL[v.status] || v.status}`;
  $('processing-text').textContent = failed
    ? (v.error || 'The video could not be converted.')
    : v.status === STATUS.UPLOADING ? 'The upload has not finished yet.'
      : v.status === STATUS.QUEUED ? 'Waiting for a free worker; this page updates by itself.'
        : `Converting for streaming: ${v.progress}%. This page updates by itself.`;
  const bar = $('processing-progress', HTMLProgressElement);
  bar.hidden = failed;
  bar.value = v.status === STATUS.PROCESSING ? v.progress : 0;
}

async function load() {
  /** @type {Video} */
  let v;
  try {
    v = await api(`/api/gallery/videos/${encodeURIComponent(videoId)}`);
  } catch (err) {
    if (err.status === 404 || err.status === 400) notFound(err);
    else showAlert($('watch-error'), errorText(err));
    return;
  }
  renderInfo(v);
  if (v.status === STATUS.READY) {
    await startPlayer();
    return;
  }
  let playing = false;
  let readySeen = false;
  if (v.playable) {
    // PROCESSING but playable: it plays from the start while the rest is made.
    playing = true;
    renderStillProcessing(v);
    playerStarting = startPlayer();
  } else {
    renderProcessing(v);
  }
  if (v.status !== STATUS.FAILED) {
    followVideo(v.id, async (name, data) => {
      if (name === 'deleted') {
        notFound();
        return;
      }
      if (data.status === STATUS.READY) {
        // Once: a second event saying READY must not load the stream again under the viewer.
        if (readySeen) return;
        readySeen = true;
        /** @type {Video} */
        const ready = await api(`/api/gallery/videos/${encodeURIComponent(videoId)}`);
        renderInfo(ready);
        $('processing').hidden = true;
        $('still-processing').hidden = true;
        player.hidden = false;
        // A player started early has the whole video now (its playlists ended); only the
        // storyboard is new, and the higher qualities when it started on a first rendition alone:
        // then the stream is loaded again, from where the viewer is.
        if (playing) {
          if (ready.width) {
            await playerStarting;
            /** @type {StreamQualities | null} */
            const urls = await api(`/api/stream/${encodeURIComponent(videoId)}/qualities`).catch(() => null);
            if (urls && urls.qualities.length > startedQualities) restartPlayer();
            else if (urls) loadStoryboard(new URL(urls.masterUrl, location.href).href);
          }
        } else startPlayer();
        return;
      }
      if (data.playable && !playing && data.status === STATUS.PROCESSING) {
        playing = true;
        /** @type {Video} */
        const now = await api(`/api/gallery/videos/${encodeURIComponent(videoId)}`);
        renderInfo(now);
        $('processing').hidden = true;
        renderStillProcessing({ ...now, ...data });
        playerStarting = startPlayer();
        return;
      }
      if (playing && data.status === STATUS.PROCESSING) renderStillProcessing({ ...current, ...data });
      else if (!data.playable || data.status !== STATUS.PROCESSING) {
        playing = false;
        if (hls) {
          // A new attempt starts over: what this player was reading is gone.
          hls.destroy();
          hls = null;
        }
        $('still-processing').hidden = true;
        renderProcessing({ ...current, ...data });
      }
    });
  }
}

/**
 * The note under a player that started before READY.
 * @param {Video} v
 */
function renderStillProcessing(v) {
  const note = $('still-processing');
  note.hidden = false;
  note.textContent = `Still processing (${v.progress}%): you can watch from the start now; every quality and the preview thumbnails come when it is done.`;
}

// Player

/**
 * @param {{ restart?: boolean }} [options] `restart`: the same video loaded again, the viewer's
 *   place kept by the caller (no `?t=` jump)
 */
async function startPlayer({ restart = false } = {}) {
  if (hls) {
    // A player started while PROCESSING, then stopped by a new attempt: one player at a time.
    hls.destroy();
    hls = null;
  }
  player.hidden = false;
  /** @type {StreamQualities} */
  let urls;
  try {
    urls = await api(`/api/stream/${encodeURIComponent(videoId)}/qualities`);
  } catch (err) {
    showMessage(errorText(err));
    return;
  }
  renderDownload(urls);
  startedQualities = urls.qualities.length;
  const master = new URL(urls.masterUrl, location.href).href;
  const growing = current?.status !== STATUS.READY;
  if (current?.width && !growing) loadStoryboard(master);
  $('controls').hidden = false;
  if (!restart) seekToStart(video);
  if (window.Hls && window.Hls.isSupported()) {
    // A video still PROCESSING has playlists that grow (EVENT): start at its beginning, not at
    // the newest segment as for a live stream.
    hls = new window.Hls({ enableWorker: true, backBufferLength: 60, ...(growing ? { startPosition: 0 } : {}) });
    wireHls(hls, urls);
    wireCaptionsMenu(hls, window.Hls, player);
    hls.loadSource(master);
    hls.attachMedia(video);
  } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
    // Safari plays HLS natively and picks the quality itself.
    video.src = master;
    quality.disabled = true;
    wireNativeCaptions(video, player);
    autoplay();
  } else {
    showMessage('This browser cannot play HLS video. Try a current Chrome, Firefox, Edge or Safari.');
  }
}

/** Loads the stream again (the captions changed): the master lists the tracks as they are now. */
async function restartPlayer() {
  const at = video.currentTime;
  const rate = video.playbackRate;
  keepPaused = video.paused && at > 0;
  if (hls) {
    hls.destroy();
    hls = null;
  }
  await startPlayer({ restart: true });
  // Back to where the viewer was, unless they chose a place while the stream reloaded: the browser
  // is already going there (it keeps a position asked for before the metadata came). The speed
  // they chose too (a new source resets it).
  video.addEventListener('loadedmetadata', () => {
    if (at && !video.seeking && video.currentTime < 0.05) video.currentTime = at;
    video.playbackRate = rate;
  }, { once: true });
}

/**
 * A quality's name (`720p`) for the menu: from its playlist's folder, else as the server lists it.
 * @param {Level} level
 * @param {StreamQualities} urls
 */
function levelName(level, urls) {
  const url = Array.isArray(level.url) ? level.url[0] : level.url || '';
  const byUrl = url.match(/\/([a-z0-9]+)\/index\.m3u8/);
  if (byUrl) return byUrl[1];
  const byBandwidth = urls.qualities.find((q) => q.bandwidth === level.bitrate);
  if (byBandwidth) return byBandwidth.name;
  return level.height ? Math.min(level.width || level.height, level.height) + 'p' : `${Math.round(level.bitrate / 1000)} kbit/s`;
}

/**
 * @param {HlsPlayer} instance
 * @param {StreamQualities} urls
 */
function wireHls(instance, urls) {
  const Hls = window.Hls;
  let recoveries = 0;
  instance.on(Hls.Events.MANIFEST_PARSED, () => {
    const levels = instance.levels.map((level, index) => ({ index, name: levelName(level, urls), height: level.height || 0, bitrate: level.bitrate }));
    levels.sort((a, b) => b.height - a.height || b.bitrate - a.bitrate);
    quality.replaceChildren(h('option', { value: '-1' }, 'Auto'),
      ...levels.map((l) => h('option', { value: String(l.index) }, l.name)));
    quality.value = '-1';
    quality.disabled = levels.length < 2;
    autoplay();
  });
  instance.on(Hls.Events.LEVEL_SWITCHED, (_, data) => {
    const level = instance.levels[data.level];
    const name = level ? levelName(level, urls) : '';
    player.dataset.level = String(data.level);
    player.dataset.levelName = name;
    const auto = quality.querySelector('option[value="-1"]');
    if (auto) auto.textContent = instance.autoLevelEnabled ? `Auto (${name})` : 'Auto';
  });
  instance.on(Hls.Events.ERROR, async (_, data) => {
    if (!data.fatal) return;
    const status = data.response && data.response.code;
    if (data.type === Hls.ErrorTypes.NETWORK_ERROR && (status === 403 || status === 404) && recoveries < 2) {
      // The signed links expired (after hours on one page): ask for fresh ones and carry on.
      recoveries++;
      const at = video.currentTime;
      try {
        /** @type {StreamQualities} */
        const fresh = await api(`/api/stream/${encodeURIComponent(videoId)}/qualities`);
        instance.loadSource(new URL(fresh.masterUrl, location.href).href);
        instance.once(Hls.Events.MANIFEST_PARSED, () => { video.currentTime = at; });
        return;
      } catch (err) {
        showMessage(errorText(err));
        return;
      }
    }
    if (data.type === Hls.ErrorTypes.NETWORK_ERROR && recoveries < 3) {
      recoveries++;
      instance.startLoad();
    } else if (data.type === Hls.ErrorTypes.MEDIA_ERROR && recoveries < 3) {
      recoveries++;
      instance.recoverMediaError();
    } else {
      showMessage('The video cannot be played right now. Reload the page to try again.');
    }
  });
}

quality.addEventListener('change', () => {
  if (!hls) return;
  const level = Number(quality.value);
  // currentLevel switches at once (the buffer is flushed); -1 hands the choice back to the ABR logic.
  hls.currentLevel = level;
  player.dataset.requestedLevel = String(level);
});

async function autoplay() {
  if (keepPaused) {
    // Loaded again under a viewer who had paused: theirs to start.
    keepPaused = false;
    return;
  }
  if (!mayAutoplay(video)) { bigPlay.hidden = false; return; }
  try {
    await video.play();
  } catch {
    // Browsers may refuse to start sound without a click: show the big play button.
    bigPlay.hidden = false;
  }
}

function togglePlay() {
  if (video.paused || video.ended) video.play().catch((e) => showMessage(e.message));
  else video.pause();
}

function updatePlayState() {
  const playing = !video.paused && !video.ended;
  player.classList.toggle('playing', playing);
  player.dataset.state = playing ? 'playing' : video.ended ? 'ended' : 'paused';
  playToggle.innerHTML = playing ? icons.pause : icons.play;
  playToggle.setAttribute('aria-label', playing ? 'Pause' : 'Play');
  bigPlay.hidden = playing || !video.currentSrc;
}

function updateTime() {
  const duration = Number.isFinite(video.duration) ? video.duration : current?.durationSeconds || 0;
  seek.max = String(duration);
  if (!scrubbing) seek.value = String(video.currentTime);
  timeLabel.textContent = `${formatDuration(video.currentTime)} / ${formatDuration(duration)}`;
  seek.setAttribute('aria-valuetext', `${formatDuration(Number(seek.value))} of ${formatDuration(duration)}`);
}

function updateVolume() {
  const muted = video.muted || video.volume === 0;
  muteButton.innerHTML = muted ? icons.muted : icons.volume;
  muteButton.setAttribute('aria-label', muted ? 'Unmute' : 'Mute');
  volume.value = video.muted ? '0' : String(video.volume);
}

video.addEventListener('play', updatePlayState);
video.addEventListener('pause', updatePlayState);
video.addEventListener('ended', updatePlayState);
video.addEventListener('playing', () => { showMessage(''); updatePlayState(); });
video.addEventListener('timeupdate', updateTime);
video.addEventListener('durationchange', updateTime);
video.addEventListener('loadedmetadata', updateTime);
video.addEventListener('volumechange', updateVolume);
video.addEventListener('click', togglePlay);
video.addEventListener('dblclick', toggleFullscreen);
video.addEventListener('error', () => {
  if (!hls) showMessage('The video cannot be played in this browser.');
});
playToggle.addEventListener('click', togglePlay);
bigPlay.addEventListener('click', () => { togglePlay(); playToggle.focus({ preventScroll: true }); });
muteButton.addEventListener('click', () => {
  if (video.muted || video.volume === 0) {
    video.muted = false;
    if (video.volume === 0) video.volume = 0.5;
  } else {
    video.muted = true;
  }
});
volume.addEventListener('input', () => {
  video.volume = Number(volume.value);
  video.muted = video.volume === 0;
});
$('fullscreen').addEventListener('click', toggleFullscreen);

function toggleFullscreen() {
  if (document.fullscreenElement) document.exitFullscreen();
  else if (player.requestFullscreen) player.requestFullscreen().catch(() => {});
  else if (video.webkitEnterFullscreen) video.webkitEnterFullscreen();
}

// Seeking: the bar shows the target while dragging and seeks when let go (one seek, not hundreds).
seek.addEventListener('input', () => {
  scrubbing = true;
  showPreview(Number(seek.value), null);
  timeLabel.textContent = `${formatDuration(Number(seek.value))} / ${formatDuration(Number(seek.max))}`;
});
seek.addEventListener('change', () => {
  video.currentTime = Number(seek.value);
  scrubbing = false;
  hidePreview();
});
seek.addEventListener('pointermove', (e) => {
  const rect = seek.getBoundingClientRect();
  const ratio = Math.min(1, Math.max(0, (e.clientX - rect.left) / rect.width));
  showPreview(ratio * Number(seek.max), e.clientX - rect.left);
});
seek.addEventListener('pointerleave', () => { if (!scrubbing) hidePreview(); });
seek.addEventListener('blur', hidePreview);

// Storyboard: WebVTT cues pointing into a sprite (`storyboard.jpg#xywh=x,y,w,h`), signed like the rest.
/** @param {string} masterUrl */
async function loadStoryboard(masterUrl) {
  const url = new URL(masterUrl);
  url.pathname = url.pathname.replace(/master\.m3u8$/, 'storyboard.vtt');
  try {
    const res = await fetch(url);
    if (!res.ok) return;
    storyboard = parseVtt(await res.text(), url);
    for (const src of new Set(storyboard.map((c) => c.src))) {
      const image = new Image();
      image.onload = () => spriteSizes.set(src, [image.naturalWidth, image.naturalHeight]);
      image.src = src;
    }
    player.dataset.storyboard = String(storyboard.length);
  } catch {
    storyboard = [];
  }
}

/** @param {string} text */
function parseTime(text) {
  const parts = text.trim().split(':').map(Number);
  return parts.reduce((total, part) => total * 60 + part, 0);
}

/**
 * @param {string} text
 * @param {URL} base
 * @returns {Cue[]}
 */
function parseVtt(text, base) {
  const cues = [];
  for (const block of text.replace(/\r\n/g, '\n').split(/\n\n+/)) {
    const lines = block.split('\n').filter(Boolean);
    const timing = lines.findIndex((l) => l.includes('-->'));
    if (timing < 0 || !lines[timing + 1]) continue;
    const [start, end] = lines[timing].split('-->').map((s) => parseTime(s.split(' ').filter(Boolean)[0] || s));
    const target = new URL(lines[timing + 1].trim(), base);
    const xywh = /xywh=(\d+),(\d+),(\d+),(\d+)/.exec(target.hash);
    target.hash = '';
    if (!xywh) continue;
    const [x, y, w, hgt] = xywh.slice(1).map(Number);
    cues.push({ start, end, src: target.href, x, y, w, h: hgt });
  }
  return cues;
}

/**
 * @param {number} time seconds
 * @param {number | null} x where over the bar (px), or null to place it by the time
 */
function showPreview(time, x) {
  const rect = seek.getBoundingClientRect();
  const duration = Number(seek.max) || 0;
  const cue = storyboard.find((c) => time >= c.start && time < c.end) || storyboard[storyboard.length - 1];
  if (!duration) return;
  if (cue) {
    // Tiles are small; show them at up to 1.5x, never wider than a third of the player.
    const scale = Math.min(1.5, (player.clientWidth / 3) / cue.w);
    previewFrame.style.width = `${cue.w * scale}px`;
    previewFrame.style.height = `${cue.h * scale}px`;
    previewFrame.style.backgroundImage = `url("${cue.src}")`;
    previewFrame.style.backgroundPosition = `-${cue.x * scale}px -${cue.y * scale}px`;
    previewFrame.style.backgroundSize = spriteSize(cue, scale);
    previewFrame.hidden = false;
  } else {
    previewFrame.hidden = true;
  }
  previewTime.textContent = formatDuration(time);
  const left = x ?? (time / duration) * rect.width;
  const half = (cue ? previewFrame.offsetWidth || cue.w : 40) / 2;
  preview.style.left = `${Math.min(rect.width - half, Math.max(half, left))}px`;
  preview.hidden = false;
  preview.dataset.time = time.toFixed(1);
}

/**
 * Natural sizes of the sprites (known once loaded); the grid may be larger than the cues use.
 * @type {Map<string, [number, number]>}
 */
const spriteSizes = new Map();
/**
 * @param {Cue} cue
 * @param {number} scale
 */
function spriteSize(cue, scale) {
  const size = spriteSizes.get(cue.src);
  return size ? `${size[0] * scale}px ${size[1] * scale}px` : 'auto';
}

function hidePreview() {
  preview.hidden = true;
}

// Controls hide after a while of playing without the pointer moving; any key or move shows them.
let idleTimer;
function wake() {
  player.classList.remove('idle');
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => { if (!player.contains(document.activeElement) || document.activeElement === video) player.classList.add('idle'); }, 2500);
}
player.addEventListener('pointermove', wake);
player.addEventListener('focusin', wake);

// Keyboard: space/k play-pause, arrows ±5 s, j/l ±10 s, m mute, f full screen (not while typing).
document.addEventListener('keydown', (e) => {
  if (!hls && !video.currentSrc) return;
  const target = /** @type {HTMLElement} */ (e.target);
  if (target.closest && target.closest('input, select, textarea') && target !== seek) return;
  if (e.altKey || e.ctrlKey || e.metaKey) return;
  const inPlayer = player.contains(target) || target === document.body;
  if (!inPlayer) return;
  /** @param {number} s */
  const jump = (s) => { video.currentTime = Math.min(Math.max(0, video.currentTime + s), video.duration || 0); };
  switch (e.key) {
    case ' ': case 'k':
      if (target.tagName === 'BUTTON' && e.key === ' ') return;
      togglePlay(); break;
    case 'ArrowLeft': if (target === seek) return; jump(-5); break;
    case 'ArrowRight': if (target === seek) return; jump(5); break;
    case 'j': jump(-10); break;
    case 'l': jump(10); break;
    case 'm': muteButton.click(); break;
    case 'f': toggleFullscreen(); break;
    default: return;
  }
  e.preventDefault();
  wake();
});

$('copy-link').addEventListener('click', async (e) => {
  const button = /** @type {HTMLButtonElement} */ (e.target);
  try {
    await navigator.clipboard.writeText(location.href);
    button.textContent = 'Link copied';
  } catch {
    button.textContent = 'Copy blocked: use the address bar';
  }
  setTimeout(() => { button.textContent = 'Copy link'; }, 2500);
});

updateVolume();
updatePlayState();
if (videoId) load();
else notFound();
