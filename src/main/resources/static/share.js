// @ts-check
// The watch page's Share dialog: the link, the embed code (the iframe of /api/oembed, so the page
// and oEmbed consumers paste the same thing) and "Start at" with the time playback is at, which
// adds ?t= to both. A PRIVATE video offers its link only: nobody but its owner can open it.
import { $, api, errorText, formatDuration, STATUS, VISIBILITY } from '/app.js';
import { parseStart } from '/embed.js';

/** @typedef {import('/api-types.js').Video} Video */
/** @typedef {import('/api-types.js').OEmbed} OEmbed */

/** @type {Video | null} */
let shared = null;
/** @type {HTMLVideoElement | null} */
let media = null;
let asked = 0;

/**
 * Offers the Share button for this video; `video` is the player's element (its current time).
 * @param {Video} v
 * @param {HTMLVideoElement} video
 */
export function setUpShare(v, video) {
  const button = $('share');
  if (!button) return;
  shared = v;
  media = video;
  button.hidden = false;
}

function startSeconds() {
  const field = $('share-start-time', HTMLInputElement);
  if (!$('share-start', HTMLInputElement).checked) {
    field.removeAttribute('aria-invalid');
    return 0;
  }
  const t = parseStart(field.value);
  field.setAttribute('aria-invalid', String(!t && field.value.trim() !== '' && field.value.trim() !== '0:00'));
  return t;
}

async function update() {
  const t = startSeconds();
  const link = `${location.origin}/watch/${encodeURIComponent(shared.id)}${t ? `?t=${t}` : ''}`;
  $('share-link', HTMLInputElement).value = link;
  const privateVideo = shared.visibility === VISIBILITY.PRIVATE;
  $('share-private').hidden = !privateVideo;
  $('share-embed').hidden = privateVideo;
  if (privateVideo) return;
  const code = $('share-code', HTMLTextAreaElement);
  const note = $('share-embed-note');
  if (shared.status !== STATUS.READY) {
    code.value = '';
    note.textContent = 'The embed code is here once the video is ready.';
    note.hidden = false;
    return;
  }
  const mine = ++asked;
  try {
    /** @type {OEmbed} */
    const answer = await api(`/api/oembed?url=${encodeURIComponent(link)}&format=json`, { auth: false });
    if (mine !== asked) return;
    code.value = answer.html;
    note.hidden = true;
  } catch (err) {
    if (mine !== asked) return;
    code.value = '';
    note.textContent = errorText(err);
    note.hidden = false;
  }
}

/**
 * @param {HTMLInputElement | HTMLTextAreaElement} field
 * @param {HTMLElement} button
 */
async function copy(field, button) {
  const label = button.textContent;
  try {
    await navigator.clipboard.writeText(field.value);
    button.textContent = 'Copied';
  } catch {
    field.select();
    button.textContent = 'Press Ctrl+C to copy';
  }
  setTimeout(() => { button.textContent = label; }, 2500);
}

const dialog = $('share-dialog', HTMLDialogElement);
if (dialog) {
  $('share').addEventListener('click', () => {
    if (!shared) return;
    $('share-start-time', HTMLInputElement).value = formatDuration(media ? media.currentTime : 0);
    dialog.showModal();
    update();
  });
  $('share-start').addEventListener('change', update);
  $('share-start-time').addEventListener('input', () => {
    $('share-start', HTMLInputElement).checked = true;
    update();
  });
  $('share-copy-link').addEventListener('click', (e) => copy($('share-link', HTMLInputElement), /** @type {HTMLElement} */ (e.currentTarget)));
  $('share-copy-code').addEventListener('click', (e) => copy($('share-code', HTMLTextAreaElement), /** @type {HTMLElement} */ (e.currentTarget)));
  $('share-close').addEventListener('click', () => dialog.close());
}
