// @ts-check
// My videos: every video of the signed-in account, any status, with live status and transcoding
// progress (Server-Sent Events read with fetch), and edit and delete.
import {
  $, api, ApiError, session, requireLogin, loginAgain, showAlert, clearAlert, errorText, followVideo, h, icon, thumbnail, statusBadge,
  formatDuration, formatDate, timeAgo, STATUS, VISIBILITY, VISIBILITY_LABEL,
} from '/app.js';
import { posterFields } from '/poster.js';

/** @typedef {import('/api-types.js').Video} Video */
/** @typedef {import('/api-types.js').VideoPage} VideoPage */
/** @typedef {import('/api-types.js').VideoStatus} VideoStatus */
/** @typedef {import('/api-types.js').VideoStatusEvent} VideoStatusEvent */
/**
 * A row's edit form, its fields by name.
 * @typedef {HTMLFormElement & {elements: HTMLFormControlsCollection & {
 *   title: HTMLInputElement, description: HTMLTextAreaElement, visibility: HTMLSelectElement, downloadable: HTMLInputElement,
 * }}} EditForm
 */

const list = $('my-videos');
const errorBox = $('my-error');
const notice = $('my-notice');
/** @type {Set<VideoStatus>} */
const FINAL = new Set([STATUS.READY, STATUS.FAILED]);
/** Live streams at once: a browser allows about six connections to one server, the page needs some too. */
const MAX_STREAMS = 3;

/** Videos asked for at once (the API allows up to 100). */
const PAGE_SIZE = 50;

/** @type {Map<string, Video>} */
const videos = new Map();
/** @type {Map<string, AbortController>} */
const streams = new Map();
/** @type {string[]} */
const waiting = [];
/** @type {ReturnType<typeof session.user>} */
let me = null;
/** How many of the account's videos, newest first, this page has gone through (less those deleted here). */
let seen = 0;
/** The account's videos as the server last counted them (less those deleted here). */
let total = 0;
let more = false;
/**
 * Videos shown out of order (opened by their address): not counted in `seen` until their page comes.
 * @type {Set<string>}
 */
const extras = new Set();

/**
 * The next videos of the account (`GET /api/gallery/videos?owner=me`, every status and
 * visibility), appended to the list. Deleting a video here moves later ones a place forward, so
 * it reads from the page holding the first one not seen yet and skips what is shown already.
 * Returns the videos added.
 */
async function loadMore() {
  /** @type {Video[]} */
  const added = [];
  let page = Math.floor(seen / PAGE_SIZE);
  for (;;) {
    /** @type {VideoPage} */
    const result = await api(`/api/gallery/videos?owner=me&page=${page}&size=${PAGE_SIZE}&sort=newest`, { auth: 'required' });
    total = result.total;
    for (const v of result.items) {
      if (videos.has(v.id)) {
        extras.delete(v.id);
        continue;
      }
      videos.set(v.id, v);
      added.push(v);
    }
    seen = page * PAGE_SIZE + result.items.length;
    more = seen < result.total;
    if (added.length || !more) break;
    page++;
  }
  list.querySelectorAll('.skeleton').forEach((n) => n.remove());
  list.append(...added.map(row));
  updateCount();
  followAll(added);
  return added;
}

/**
 * A video named in the address (`#video-<id>`, the watch page's "Manage" link) that is not on the first page.
 * @param {string} id
 */
async function loadTarget(id) {
  if (videos.has(id)) return;
  try {
    /** @type {Video} */
    const v = await api('/api/gallery/videos/' + encodeURIComponent(id), { auth: 'required' });
    if (v.owner?.id !== me.id || videos.has(id)) return;
    videos.set(id, v);
    extras.add(id);
    list.prepend(row(v));
    updateCount();
    followAll([v]);
  } catch { /* gone, or not this account's: nothing to open */ }
}

/** @param {Video} v */
function statusLine(v) {
  const line = h('div', { class: 'status-line' });
  if (v.status === STATUS.PROCESSING) {
    line.append(h('span', { class: 'progress-text' }, `Converting for streaming: ${v.progress}%`),
      h('progress', { class: 'transcode-progress', max: '100', value: String(v.progress), 'aria-label': `Processing ${v.title}` }));
  } else if (v.status === STATUS.QUEUED) {
    line.append(h('span', { class: 'muted' }, 'Waiting for a free worker…'));
  } else if (v.status === STATUS.UPLOADING) {
    line.append(h('span', { class: 'muted' }, 'The upload has not finished. '),
      h('a', { href: '/upload' }, 'Continue it on the upload page'));
  } else if (v.status === STATUS.FAILED) {
    line.append(h('span', { class: 'error-text' }, 'Processing failed: ' + (v.error || 'the file could not be converted.')));
  }
  return line;
}

/** @param {Video} v */
function row(v) {
  const watchHref = '/watch/' + encodeURIComponent(v.id);
  const article = h('article', {
    class: 'card my-video', id: 'video-' + v.id, dataset: { videoId: v.id, status: v.status }, 'aria-labelledby': 'title-' + v.id,
  });
  const thumb = thumbnail(v);
  article.append(
    h('a', { href: watchHref, tabindex: '-1', 'aria-hidden': 'true' }, thumb),
    h('div', {},
      h('div', { class: 'title', id: 'title-' + v.id }, h('a', { href: watchHref }, v.title)),
      h('div', { class: 'line' },
        statusBadge(v.status),
        h('span', { class: 'badge ' + v.visibility }, VISIBILITY_LABEL[v.visibility]),
        v.durationSeconds ? h('span', {}, formatDuration(v.durationSeconds)) : null,
        v.qualities?.length ? h('span', {}, v.qualities.join(' · ')) : null,
        h('span', { title: formatDate(v.createdAt) }, 'uploaded ' + timeAgo(v.createdAt))),
      statusLine(v),
      h('div', { class: 'actions' },
        h('a', { class: 'btn secondary small', href: watchHref }, v.status === STATUS.READY ? 'Watch' : 'Open'),
        h('button', { type: 'button', class: 'btn secondary small edit', 'aria-expanded': 'false', onclick: () => toggleEdit(v.id) }, 'Edit'),
        h('button', { type: 'button', class: 'btn ghost small delete', onclick: () => askDelete(v.id) }, 'Delete')),
      editForm(v)));
  return article;
}

/** @param {Video} v */
function editForm(v) {
  const id = v.id;
  const visibility = h('select', { id: 'edit-visibility-' + id, name: 'visibility' },
    ...[VISIBILITY.PUBLIC, VISIBILITY.UNLISTED, VISIBILITY.PRIVATE].map((value) => h('option', { value, selected: v.visibility === value }, VISIBILITY_LABEL[value])));
  const form = /** @type {EditForm} */ (h('form', { class: 'edit-form', hidden: true, novalidate: true },
    h('div', { class: 'alert error form-error', role: 'alert', hidden: true }),
    h('div', { class: 'field' }, h('label', { for: 'edit-title-' + id }, 'Title'),
      h('input', { type: 'text', id: 'edit-title-' + id, name: 'title', maxlength: '200', required: true, value: v.title })),
    h('div', { class: 'field' }, h('label', { for: 'edit-description-' + id }, 'Description'),
      h('textarea', { id: 'edit-description-' + id, name: 'description', maxlength: '5000' }, v.description || '')),
    h('div', { class: 'field' }, h('label', { for: 'edit-visibility-' + id }, 'Who can watch it'), visibility),
    h('div', { class: 'field checkbox' },
      h('input', { type: 'checkbox', id: 'edit-downloadable-' + id, name: 'downloadable', checked: Boolean(v.downloadable) }),
      h('label', { for: 'edit-downloadable-' + id }, 'Allow downloads (viewers can save an MP4)')),
    v.status === STATUS.READY && v.width ? posterFields(v, (saved) => {
      replace(saved);
      showAlert(notice, `New poster for “${saved.title}”.`, 'success');
    }) : null,
    h('div', { class: 'row' },
      h('button', { type: 'submit', class: 'btn small save' }, 'Save'),
      h('button', { type: 'button', class: 'btn secondary small', onclick: () => toggleEdit(id, false) }, 'Cancel'))));
  const save = /** @type {HTMLButtonElement} */ (form.querySelector('.save'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const box = /** @type {HTMLElement} */ (form.querySelector('.form-error'));
    clearAlert(box);
    const title = form.elements.title.value.trim();
    if (!title) {
      showAlert(box, 'A title is needed.');
      form.elements.title.focus();
      return;
    }
    save.disabled = true;
    try {
      /** @type {Video} */
      const saved = await api('/api/gallery/videos/' + encodeURIComponent(id), {
        method: 'PATCH',
        body: {
          title, description: form.elements.description.value, visibility: form.elements.visibility.value,
          downloadable: form.elements.downloadable.checked,
        },
      });
      replace(saved);
      showAlert(notice, `Saved “${saved.title}”.`, 'success');
      /** @type {HTMLElement} */ (document.querySelector(`#video-${CSS.escape(id)} .edit`))?.focus();
    } catch (err) {
      showAlert(box, errorText(err));
      save.disabled = false;
    }
  });
  return form;
}

/**
 * Opens or closes (or, without `open`, toggles) a row's edit form.
 * @param {string} id
 * @param {boolean} [open]
 */
function toggleEdit(id, open) {
  const article = $('video-' + id);
  if (!article) return;
  const form = /** @type {EditForm} */ (article.querySelector('.edit-form'));
  const button = /** @type {HTMLButtonElement} */ (article.querySelector('.edit'));
  const show = open ?? form.hidden;
  form.hidden = !show;
  button.setAttribute('aria-expanded', String(show));
  if (show) form.elements.title.focus();
  else button.focus();
}

/** @param {Video} v */
function replace(v) {
  videos.set(v.id, v);
  const old = $('video-' + v.id);
  const fresh = row(v);
  if (old) old.replaceWith(fresh);
  else list.prepend(fresh);
  updateCount();
}

/**
 * A status or progress event: only the status part of the row changes (no flicker, focus kept).
 * @param {string} id
 * @param {VideoStatusEvent} data
 */
function applyEvent(id, data) {
  const v = videos.get(id);
  const article = $('video-' + id);
  if (!v || !article) return;
  const next = { ...v, status: data.status ?? v.status, progress: data.progress ?? v.progress, error: data.error ?? v.error };
  videos.set(id, next);
  article.dataset.status = next.status;
  article.querySelector('.badge.status')?.replaceWith(statusBadge(next.status));
  article.querySelector('.status-line')?.replaceWith(statusLine(next));
}

/** @param {string} id */
function remove(id) {
  if (!videos.delete(id)) return;
  if (extras.has(id)) extras.delete(id);
  else {
    seen = Math.max(0, seen - 1);
    total = Math.max(0, total - 1);
  }
  streams.get(id)?.abort();
  $('video-' + id)?.remove();
  updateCount();
  // Every shown video deleted but more on the server: show those rather than "nothing uploaded".
  if (!videos.size && more) loadMore().catch((err) => showAlert(errorBox, errorText(err)));
}

/**
 * Whether a video's stream may stay quiet for long: an upload that has not finished (it may never).
 * @param {string} id
 */
const idle = (id) => videos.get(id)?.status === STATUS.UPLOADING;

/**
 * Follows the unfinished ones of these videos: those being processed first, then unfinished uploads.
 * @param {Video[]} batch
 */
function followAll(batch) {
  const open = batch.filter((v) => !FINAL.has(v.status));
  open.filter((v) => !idle(v.id)).forEach((v) => follow(v.id));
  // An upload finished in another tab turns QUEUED here. Its stream may stay quiet for hours, but
  // the server's heartbeat notices when this page has gone.
  open.filter((v) => idle(v.id)).forEach((v) => follow(v.id));
}

/**
 * Follows a video's status live, at most MAX_STREAMS at a time. An unfinished upload's stream
 * can stay quiet for hours (the server's heartbeat keeps it honest), so it waits behind videos
 * being processed and gives its place up to one.
 * @param {string} id
 */
function follow(id) {
  const v = videos.get(id);
  if (!v || streams.has(id) || FINAL.has(v.status) || waiting.includes(id)) return;
  if (streams.size >= MAX_STREAMS) {
    if (idle(id)) {
      waiting.push(id);
      return;
    }
    const firstIdle = waiting.findIndex(idle);
    waiting.splice(firstIdle < 0 ? waiting.length : firstIdle, 0, id);
    const quiet = [...streams.keys()].find(idle);
    // It goes back in line when its stream has ended (below).
    if (quiet) streams.get(quiet).abort();
    return;
  }
  const controller = new AbortController();
  streams.set(id, controller);
  followVideo(id, async (name, data) => {
    if (name === 'deleted') {
      remove(id);
      return;
    }
    applyEvent(id, data);
    if (FINAL.has(data.status)) {
      // Thumbnail, duration and qualities exist now: fetch the whole video again.
      try {
        replace(await api('/api/gallery/videos/' + encodeURIComponent(id)));
      } catch { /* keep the row as it is */ }
    }
  }, controller.signal).finally(() => {
    streams.delete(id);
    // Stopped to make room (not finished, not deleted): back in line.
    if (controller.signal.aborted && videos.has(id) && !FINAL.has(videos.get(id).status)) waiting.push(id);
    while (waiting.length && streams.size < MAX_STREAMS) follow(waiting.shift());
  });
}

function updateCount() {
  const n = videos.size;
  const count = Math.max(total, n);
  $('my-count').textContent = count ? `${count} video${count === 1 ? '' : 's'}` : '';
  $('my-more-box').hidden = !more;
  $('my-shown').textContent = more ? `Showing ${n} of ${count}` : '';
  const empty = $('my-empty');
  const nothing = n === 0 && !more;
  if (nothing) {
    const box = h('div', { class: 'empty', id: 'my-empty-state' });
    box.append(icon('upload'), h('h2', {}, 'You have not uploaded anything yet'),
      h('p', {}, 'Upload a video and follow its processing here, live.'),
      h('a', { class: 'btn', href: '/upload' }, 'Upload a video'));
    empty.replaceChildren(box);
  }
  empty.hidden = !nothing;
}

/** @param {string} id */
function askDelete(id) {
  const v = videos.get(id);
  const dialog = $('delete-dialog', HTMLDialogElement);
  $('delete-text').textContent = `“${v.title}” and all its files will be removed. This cannot be undone.`;
  dialog.returnValue = '';
  dialog.onclose = async () => {
    if (dialog.returnValue !== 'delete') {
      /** @type {HTMLElement} */ (document.querySelector(`#video-${CSS.escape(id)} .delete`))?.focus();
      return;
    }
    try {
      await api('/api/gallery/videos/' + encodeURIComponent(id), { method: 'DELETE' });
      remove(id);
      showAlert(notice, `Deleted “${v.title}”.`, 'success');
    } catch (err) {
      if (err.status === 404) remove(id);
      showAlert(errorBox, errorText(err));
    }
  };
  dialog.showModal();
  $('delete-cancel').focus();
}

/**
 * A failed load of the list: a session that ended asks for a login again (the page is of no use
 * without one), anything else is shown above the list.
 * @param {unknown} err
 */
function showListError(err) {
  if (err instanceof ApiError && err.status === 401) loginAgain();
  else showAlert(errorBox, errorText(err));
}

async function start() {
  me = session.user();
  try {
    await loadMore();
    const target = location.hash.match(/^#video-(.+)$/);
    if (target) {
      const id = decodeURIComponent(target[1]);
      await loadTarget(id);
      const article = $('video-' + id);
      if (article) {
        article.scrollIntoView({ block: 'center' });
        toggleEdit(id, true);
      }
    }
  } catch (err) {
    showListError(err);
  } finally {
    list.querySelectorAll('.skeleton').forEach((n) => n.remove());
    list.setAttribute('aria-busy', 'false');
  }
}

$('my-more').addEventListener('click', async (e) => {
  const button = /** @type {HTMLButtonElement} */ (e.currentTarget);
  button.disabled = true;
  list.setAttribute('aria-busy', 'true');
  clearAlert(errorBox);
  try {
    const added = await loadMore();
    // Keyboard users go on where the new rows start.
    if (added.length) /** @type {HTMLElement} */ ($('video-' + added[0].id)?.querySelector('.title a'))?.focus();
  } catch (err) {
    showListError(err);
  } finally {
    button.disabled = false;
    list.setAttribute('aria-busy', 'false');
  }
});

if (requireLogin()) {
  list.replaceChildren(...Array.from({ length: 3 }, () => h('div', { class: 'skeleton', style: 'height:130px', 'aria-hidden': 'true' })));
  start();
}
