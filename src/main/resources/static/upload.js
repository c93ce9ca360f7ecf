// @ts-check
// Upload: tus resumable upload (tus-js-client) to /api/uploads with drag and drop, progress with
// speed and time left, pause/resume, and resumption after a reload: tus-js-client keeps each
// upload's URL in localStorage under a fingerprint of the file and the account. Where the server
// offers uploads straight into its storage (S3), the bytes go there instead (upload-direct.js).
import {
  $, accessToken, session, requireLogin, showAlert, clearAlert, followVideo, h, icons, formatBytes,
  STATUS, STATUS_LABEL, api,
} from '/app.js';
import { directOffer, DirectUpload, rememberedUploads, forget } from '/upload-direct.js';

/** @typedef {import('/api-types.js').DirectUploadState} DirectUploadState */
/** @typedef {import('/upload-direct.js').UploadError} UploadError */
/** @typedef {import('tus-js-client').Upload} TusUpload */
/** @typedef {import('tus-js-client').UploadOptions} TusOptions */
/**
 * The form, with its radio buttons by name.
 * @typedef {HTMLFormElement & {elements: {visibility: RadioNodeList}}} UploadForm
 */

const errorBox = $('upload-error');
const fileInput = $('file-input', HTMLInputElement);
const dropZone = $('drop-zone');
const form = /** @type {UploadForm} */ ($('upload-form', HTMLFormElement));
const progress = $('upload-progress', HTMLProgressElement);
const stateText = $('upload-state');
const ENDPOINT = new URL('/api/uploads', location.href).href;
const CHUNK = 50 * 1024 * 1024;

$('drop-icon').innerHTML = icons.upload;
$('file-icon').innerHTML = icons.film;

/** @type {File | null} */
let file = null;
/** @type {DirectUpload | TusUpload | null} */
let upload = null;
let uploading = false;
/**
 * Progress samples, `[performance.now(), bytes sent]`, of the last 5 s or so: the speed.
 * @type {[number, number][]}
 */
let samples = [];
/** @type {number | null} */
let maxSize = null;
let needFreshToken = false;
/** @type {AbortController | null} */
let following = null;

const user = session.user();
const fingerprintPrefix = `videoforge-${user?.id}-`;

// Whether the bytes go straight to storage (the server's offer), else through tus.
const offered = directOffer();
/** @param {File} f */
const directFingerprint = (f) => fingerprintPrefix + [f.name, f.type, f.size, f.lastModified, 'direct'].join('-');

/**
 * Same file, same account, same server: the key under which tus-js-client remembers the upload URL.
 * @param {File} f
 * @param {TusOptions} options
 */
const fingerprint = async (f, options) =>
  fingerprintPrefix + [f.name, f.type, f.size, f.lastModified, options.endpoint].join('-');

/** @param {'pick' | 'upload-form' | 'progress-card' | 'upload-done'} section */
function show(section) {
  for (const id of ['pick', 'upload-form', 'progress-card', 'upload-done']) $(id).hidden = id !== section;
}

// Limits advertised by the server (tus OPTIONS: Tus-Max-Size).
fetch(ENDPOINT, { method: 'OPTIONS' }).then((res) => {
  const size = Number(res.headers.get('Tus-Max-Size'));
  if (size > 0) {
    maxSize = size;
    $('upload-limits').textContent = `Video or audio files up to ${formatBytes(size)}. Uploads pause, resume and survive a reload.`;
  }
}).catch(() => {});

// Unfinished uploads of this account that this browser remembers.
async function listUnfinished() {
  if (!window.tus) return;
  const all = await tus.defaultOptions.urlStorage.findAllUploads().catch(() => []);
  const mine = all.filter((u) => u.urlStorageKey.startsWith('tus::' + fingerprintPrefix) && u.uploadUrl
    && !(upload && u.uploadUrl === upload.url));
  const list = $('unfinished-list');
  list.replaceChildren();
  for (const entry of mine) {
    const offset = await headOffset(entry.uploadUrl);
    if (offset === null) {
      // Gone from the server (finished, expired or deleted): forget it.
      await tus.defaultOptions.urlStorage.removeUpload(entry.urlStorageKey);
      continue;
    }
    const pct = entry.size ? Math.floor((offset / entry.size) * 100) : 0;
    const name = entry.metadata?.filename || entry.metadata?.title || 'Upload';
    list.append(h('li', { class: 'unfinished-item', dataset: { url: entry.uploadUrl } },
      h('span', {}, h('strong', {}, name), ' ', h('span', { class: 'muted small' }, `${pct}% of ${formatBytes(entry.size)}`)),
      h('button', {
        type: 'button', class: 'btn ghost small', 'aria-label': `Discard the unfinished upload of ${name}`,
        onclick: async (e) => {
          const button = /** @type {HTMLButtonElement} */ (e.target);
          button.disabled = true;
          await terminate(entry.uploadUrl);
          await tus.defaultOptions.urlStorage.removeUpload(entry.urlStorageKey);
          listUnfinished();
        },
      }, 'Discard')));
  }
  for (const entry of rememberedUploads(fingerprintPrefix)) {
    if (upload && upload.url === `/api/direct-uploads/${entry.id}`) continue;
    /** @type {DirectUploadState} */
    let state;
    try {
      state = await api(`/api/direct-uploads/${encodeURIComponent(entry.id)}`);
    } catch {
      forget(entry.fingerprint); // finished, expired or deleted
      continue;
    }
    const sent = state.parts.reduce((sum, p) => sum + p.size, 0);
    const name = entry.name || entry.title || 'Upload';
    list.append(h('li', { class: 'unfinished-item', dataset: { url: `/api/direct-uploads/${entry.id}` } },
      h('span', {}, h('strong', {}, name), ' ', h('span', { class: 'muted small' }, `${Math.floor((sent / state.size) * 100)}% of ${formatBytes(state.size)}`)),
      h('button', {
        type: 'button', class: 'btn ghost small', 'aria-label': `Discard the unfinished upload of ${name}`,
        onclick: async (e) => {
          const button = /** @type {HTMLButtonElement} */ (e.target);
          button.disabled = true;
          await api(`/api/direct-uploads/${encodeURIComponent(entry.id)}`, { method: 'DELETE' }).catch(() => {});
          forget(entry.fingerprint);
          listUnfinished();
        },
      }, 'Discard')));
  }
  $('unfinished').hidden = list.children.length === 0;
}

async function tusHeaders() {
  const token = await accessToken();
  return { 'Tus-Resumable': '1.0.0', ...(token ? { Authorization: 'Bearer ' + token } : {}) };
}

/**
 * How many bytes of this tus upload the server has; null when it has it no more, 0 when it cannot be asked.
 * @param {string} url
 */
async function headOffset(url) {
  try {
    const res = await fetch(url, { method: 'HEAD', headers: await tusHeaders(), cache: 'no-store' });
    return res.ok ? Number(res.headers.get('Upload-Offset')) : null;
  } catch {
    return 0;
  }
}

/** @param {string} url */
async function terminate(url) {
  await fetch(url, { method: 'DELETE', headers: await tusHeaders() }).catch(() => {});
}

// Choosing a file: the file input, or a file dropped anywhere on the drop zone.
fileInput.addEventListener('change', () => {
  if (fileInput.files.length) choose(fileInput.files[0]);
});
for (const type of ['dragenter', 'dragover']) {
  dropZone.addEventListener(type, (e) => {
    e.preventDefault();
    dropZone.classList.add('over');
  });
}
for (const type of ['dragleave', 'drop']) {
  dropZone.addEventListener(type, () => dropZone.classList.remove('over'));
}
dropZone.addEventListener('drop', (e) => {
  e.preventDefault();
  const dropped = e.dataTransfer?.files?.[0];
  if (dropped) choose(dropped);
});
// A file dropped beside the zone would make the browser leave the page.
window.addEventListener('dragover', (e) => e.preventDefault());
window.addEventListener('drop', (e) => e.preventDefault());

/** @param {File} chosen */
async function choose(chosen) {
  clearAlert(errorBox);
  if (maxSize && chosen.size > maxSize) {
    showAlert(errorBox, `That file is ${formatBytes(chosen.size)}; the largest this server accepts is ${formatBytes(maxSize)}.`);
    return;
  }
  if (chosen.size === 0) {
    showAlert(errorBox, 'That file is empty.');
    return;
  }
  file = chosen;
  upload = await newUpload(file, {});
  if (upload instanceof DirectUpload) {
    const earlier = await upload.findPrevious();
    if (earlier) {
      upload.resumeFromPrevious(earlier);
      begin(earlier.title || file.name, true);
      return;
    }
  }
  const previous = upload instanceof DirectUpload ? [] : await upload.findPreviousUploads().catch(() => []);
  if (previous.length) {
    // The same file was being uploaded before (a reload, a crash): carry on from where it stopped.
    const last = previous.sort((a, b) => String(b.creationTime).localeCompare(String(a.creationTime)))[0];
    if (await headOffset(last.uploadUrl) !== null) {
      /** @type {TusUpload} */ (upload).resumeFromPreviousUpload(last);
      begin(last.metadata?.title || file.name, true);
      return;
    }
    await tus.defaultOptions.urlStorage.removeUpload(last.urlStorageKey);
  }
  $('file-name').textContent = file.name;
  $('file-size').textContent = formatBytes(file.size) + (file.type ? ' · ' + file.type : '');
  const warning = $('file-warning');
  if (file.type && !/^(video|audio)\//.test(file.type)) {
    showAlert(warning, 'This does not look like a video or audio file; the server will refuse it if it cannot play it.', 'warning');
  } else {
    clearAlert(warning);
  }
  $('title', HTMLInputElement).value = file.name.replace(/\.[^.]+$/, '').slice(0, 200);
  show('upload-form');
  $('title').focus();
  $('title', HTMLInputElement).select();
}

$('change-file').addEventListener('click', () => {
  fileInput.value = '';
  show('pick');
  fileInput.focus();
});

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  clearAlert(errorBox);
  const title = $('title', HTMLInputElement).value.trim();
  if (!title) {
    $('title').setAttribute('aria-invalid', 'true');
    showAlert(errorBox, 'Give the video a title.');
    $('title').focus();
    return;
  }
  $('title').removeAttribute('aria-invalid');
  /** @type {Record<string, string>} */
  const metadata = {
    filename: file.name, title, visibility: form.elements.visibility.value,
  };
  const description = $('description', HTMLTextAreaElement).value.trim();
  if (description) metadata.description = description;
  upload = await newUpload(file, metadata);
  begin(title, false);
});

/**
 * A direct upload where the server offers one, else a tus upload.
 * @param {File} chosen
 * @param {Record<string, string>} metadata
 * @returns {Promise<DirectUpload | TusUpload>}
 */
async function newUpload(chosen, metadata) {
  const offer = await offered;
  if (offer) {
    return new DirectUpload(chosen, metadata, offer, directFingerprint(chosen),
      { onProgress, onSuccess, onError, onUploadUrlAvailable: () => listUnfinished() });
  }
  return new tus.Upload(chosen, {
    endpoint: ENDPOINT,
    chunkSize: CHUNK,
    retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
    metadata,
    fingerprint,
    storeFingerprintForResuming: true,
    removeFingerprintOnSuccess: true,
    onBeforeRequest: async (req) => {
      const token = await accessToken({ force: needFreshToken });
      needFreshToken = false;
      if (token) req.setHeader('Authorization', 'Bearer ' + token);
    },
    onShouldRetry: (err, attempt) => {
      const status = err.originalResponse ? err.originalResponse.getStatus() : 0;
      if (status === 401) {
        needFreshToken = true;
        return attempt < 2;
      }
      // Network trouble, server trouble, a lost race on the offset, or a rate limit: try again.
      return status === 0 || status >= 500 || status === 409 || status === 423 || status === 429;
    },
    onUploadUrlAvailable: () => listUnfinished(),
    onProgress: onProgress,
    onSuccess: onSuccess,
    onError: onError,
  });
}

/**
 * @param {string} name
 * @param {boolean} resuming
 */
function begin(name, resuming) {
  $('progress-name').textContent = `“${name}”`;
  show('progress-card');
  setPaused(false);
  stateText.textContent = resuming ? 'Resuming where it stopped…' : 'Starting…';
  progress.value = 0;
  $('upload-percent').textContent = '0%';
  $('upload-bytes').textContent = `0 B of ${formatBytes(file.size)}`;
  $('upload-speed').textContent = '';
  $('upload-eta').textContent = '';
  samples = [];
  uploading = true;
  upload.start();
}

/**
 * @param {number} sent
 * @param {number} total
 */
function onProgress(sent, total) {
  const now = performance.now();
  samples.push([now, sent]);
  while (samples.length > 2 && now - samples[0][0] > 5000) samples.shift();
  const pct = total ? (sent / total) * 100 : 0;
  progress.value = pct;
  progress.setAttribute('aria-valuetext', `${Math.floor(pct)}%`);
  $('upload-percent').textContent = `${Math.floor(pct)}%`;
  $('upload-bytes').textContent = `${formatBytes(sent)} of ${formatBytes(total)}`;
  const [t0, b0] = samples[0];
  const seconds = (now - t0) / 1000;
  if (seconds > 0.3 && sent > b0) {
    const speed = (sent - b0) / seconds;
    $('upload-speed').textContent = `${formatBytes(speed)}/s`;
    const left = (total - sent) / speed;
    $('upload-eta').textContent = sent < total ? `· ${timeLeft(left)}` : '';
  }
  stateText.textContent = sent >= total ? 'Checking the file…' : 'Uploading…';
}

/** @param {number} seconds */
function timeLeft(seconds) {
  if (!Number.isFinite(seconds)) return '';
  if (seconds < 5) return 'a few seconds left';
  if (seconds < 90) return `about ${Math.round(seconds)} s left`;
  if (seconds < 5400) return `about ${Math.round(seconds / 60)} min left`;
  return `about ${(seconds / 3600).toFixed(1)} h left`;
}

/** @param {boolean} paused */
function setPaused(paused) {
  $('pause-upload').hidden = paused;
  $('resume-upload').hidden = !paused;
  if (paused) {
    stateText.textContent = 'Paused. You can resume now, or later, even after closing this page.';
    $('upload-speed').textContent = '';
    $('upload-eta').textContent = '';
  }
}

$('pause-upload').addEventListener('click', async () => {
  if (!upload) return;
  uploading = false;
  setPaused(true);
  await upload.abort();
  $('resume-upload').focus();
});

$('resume-upload').addEventListener('click', () => {
  if (!upload) return;
  clearAlert(errorBox);
  samples = [];
  uploading = true;
  setPaused(false);
  stateText.textContent = 'Resuming…';
  upload.start();
  $('pause-upload').focus();
});

$('cancel-upload').addEventListener('click', async () => {
  if (!upload || !confirm('Cancel this upload? What was sent so far is discarded.')) return;
  uploading = false;
  await upload.abort(true).catch(() => {});
  upload = null;
  fileInput.value = '';
  show('pick');
  listUnfinished();
});

function onSuccess() {
  uploading = false;
  const id = upload.url.split('/').pop();
  const title = $('progress-name').textContent;
  progress.value = 100;
  show('upload-done');
  $('done-text').textContent = `${title} is uploaded. It is being prepared for streaming; you can leave this page.`;
  const watch = $('watch-link', HTMLAnchorElement);
  watch.href = '/watch/' + encodeURIComponent(id);
  watch.hidden = true;
  const status = $('done-status');
  const bar = $('done-progress', HTMLProgressElement);
  status.textContent = 'Queued for processing…';
  following?.abort();
  following = new AbortController();
  followVideo(id, (name, data) => {
    if (name === 'deleted') {
      status.textContent = 'The video was deleted.';
      bar.hidden = true;
      return;
    }
    if (data.status === STATUS.PROCESSING) {
      status.textContent = `Processing: ${data.progress}%`;
      bar.hidden = false;
      bar.value = data.progress;
    } else if (data.status === STATUS.READY) {
      status.textContent = 'Ready to watch.';
      bar.hidden = true;
      watch.hidden = false;
    } else if (data.status === STATUS.FAILED) {
      status.textContent = 'Processing failed: ' + (data.error || 'the file could not be converted.');
      bar.hidden = true;
    } else {
      status.textContent = `${STATUS_LABEL[data.status] || data.status}…`;
    }
  }, following.signal);
  $('done-title').focus?.();
  listUnfinished();
}

/** @param {UploadError} err */
function onError(err) {
  uploading = false;
  let message = err.message;
  const res = err.originalResponse;
  if (res) {
    try {
      const body = JSON.parse(res.getBody());
      if (body.message) message = body.message.charAt(0).toUpperCase() + body.message.slice(1);
    } catch {
      message = `The server answered ${res.getStatus()}.`;
    }
    if (res.getStatus() === 401) message = 'Your session ended. Log in again, then choose the file once more to continue.';
  } else if (/network|failed to fetch|xhr|unknown error/i.test(message)) {
    message = 'The connection dropped. Resume when you are back online; nothing sent so far is lost.';
  }
  showAlert(errorBox, message);
  const status = res ? res.getStatus() : 0;
  if (status === 415 || status === 413 || status === 422 || status === 400) {
    // The server refused the file itself: nothing to resume.
    upload = null;
    fileInput.value = '';
    show('pick');
    listUnfinished();
  } else {
    setPaused(true);
    stateText.textContent = 'Stopped. Resume to try again.';
  }
}

$('upload-another').addEventListener('click', () => {
  following?.abort();
  upload = null;
  file = null;
  fileInput.value = '';
  form.reset();
  show('pick');
  fileInput.focus();
});

window.addEventListener('beforeunload', (e) => {
  if (uploading) {
    e.preventDefault();
    e.returnValue = '';
  }
});

if (requireLogin()) {
  if (!window.tus || !tus.isSupported) {
    showAlert(errorBox, 'This browser cannot upload files here. Try a current Chrome, Firefox, Edge or Safari.');
  } else {
    listUnfinished();
  }
}
