// My videos: every video of the signed-in account, any status, with live status and transcoding
// progress (Server-Sent Events read with fetch), and edit and delete.
import {
  api, session, requireLogin, loginAgain, showAlert, clearAlert, errorText, followVideo, h, icon, thumbnail, statusBadge,
  formatDuration, formatDate, timeAgo, VISIBILITY_LABEL,
} from '/app.js';

const $ = (id) => document.getElementById(id);
const list = $('my-videos');
const errorBox = $('my-error');
const notice = $('my-notice');
const FINAL = new Set(['READY', 'FAILED']);
/** Live streams at once: a browser allows about six connections to one server, the page needs some too. */
const MAX_STREAMS = 3;

const videos = new Map();
const streams = new Map();
const waiting = [];
let me = null;

async function loadAll() {
  // The gallery lists READY public videos plus the caller's own; the caller's own are kept here.
  const mine = [];
  for (let page = 0; page < 50; page++) {
    const result = await api(`/api/gallery/videos?page=${page}&size=100&sort=newest`, { auth: 'required' });
    mine.push(...result.items.filter((v) => v.owner?.id === me.id));
    if ((page + 1) * 100 >= result.total) break;
  }
  return mine;
}

function statusLine(v) {
  const line = h('div', { class: 'status-line' });
  if (v.status === 'PROCESSING') {
    line.append(h('span', { class: 'progress-text' }, `Converting for streaming: ${v.progress}%`),
      h('progress', { class: 'transcode-progress', max: '100', value: String(v.progress), 'aria-label': `Processing ${v.title}` }));
  } else if (v.status === 'QUEUED') {
    line.append(h('span', { class: 'muted' }, 'Waiting for a free worker…'));
  } else if (v.status === 'UPLOADING') {
    line.append(h('span', { class: 'muted' }, 'The upload has not finished. '),
      h('a', { href: '/upload' }, 'Continue it on the upload page'));
  } else if (v.status === 'FAILED') {
    line.append(h('span', { class: 'error-text' }, 'Processing failed: ' + (v.error || 'the file could not be converted.')));
  }
  return line;
}

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
        h('a', { class: 'btn secondary small', href: watchHref }, v.status === 'READY' ? 'Watch' : 'Open'),
        h('button', { type: 'button', class: 'btn secondary small edit', 'aria-expanded': 'false', onclick: () => toggleEdit(v.id) }, 'Edit'),
        h('button', { type: 'button', class: 'btn ghost small delete', onclick: () => askDelete(v.id) }, 'Delete')),
      editForm(v)));
  return article;
}

function editForm(v) {
  const id = v.id;
  const visibility = h('select', { id: 'edit-visibility-' + id, name: 'visibility' },
    ...['PUBLIC', 'UNLISTED', 'PRIVATE'].map((value) => h('option', { value, selected: v.visibility === value }, VISIBILITY_LABEL[value])));
  const form = h('form', { class: 'edit-form', hidden: true, novalidate: true },
    h('div', { class: 'alert error form-error', role: 'alert', hidden: true }),
    h('div', { class: 'field' }, h('label', { for: 'edit-title-' + id }, 'Title'),
      h('input', { type: 'text', id: 'edit-title-' + id, name: 'title', maxlength: '200', required: true, value: v.title })),
    h('div', { class: 'field' }, h('label', { for: 'edit-description-' + id }, 'Description'),
      h('textarea', { id: 'edit-description-' + id, name: 'description', maxlength: '5000' }, v.description || '')),
    h('div', { class: 'field' }, h('label', { for: 'edit-visibility-' + id }, 'Who can watch it'), visibility),
    h('div', { class: 'row' },
      h('button', { type: 'submit', class: 'btn small save' }, 'Save'),
      h('button', { type: 'button', class: 'btn secondary small', onclick: () => toggleEdit(id, false) }, 'Cancel')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const box = form.querySelector('.form-error');
    clearAlert(box);
    const title = form.elements.title.value.trim();
    if (!title) {
      showAlert(box, 'A title is needed.');
      form.elements.title.focus();
      return;
    }
    form.querySelector('.save').disabled = true;
    try {
      const saved = await api('/api/gallery/videos/' + encodeURIComponent(id), {
        method: 'PATCH',
        body: { title, description: form.elements.description.value, visibility: form.elements.visibility.value },
      });
      replace(saved);
      showAlert(notice, `Saved “${saved.title}”.`, 'success');
      document.querySelector(`#video-${CSS.escape(id)} .edit`)?.focus();
    } catch (err) {
      showAlert(box, errorText(err));
      form.querySelector('.save').disabled = false;
    }
  });
  return form;
}

function toggleEdit(id, open) {
  const article = $('video-' + id);
  if (!article) return;
  const form = article.querySelector('.edit-form');
  const button = article.querySelector('.edit');
  const show = open ?? form.hidden;
  form.hidden = !show;
  button.setAttribute('aria-expanded', String(show));
  if (show) form.elements.title.focus();
  else button.focus();
}

function replace(v) {
  videos.set(v.id, v);
  const old = $('video-' + v.id);
  const fresh = row(v);
  if (old) old.replaceWith(fresh);
  else list.prepend(fresh);
  updateCount();
}

/** A status or progress event: only the status part of the row changes (no flicker, focus kept). */
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

function remove(id) {
  videos.delete(id);
  streams.get(id)?.abort();
  $('video-' + id)?.remove();
  updateCount();
}

function follow(id) {
  if (streams.has(id) || FINAL.has(videos.get(id)?.status)) return;
  if (streams.size >= MAX_STREAMS) {
    if (!waiting.includes(id)) waiting.push(id);
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
    const next = waiting.shift();
    if (next) follow(next);
  });
}

function updateCount() {
  const n = videos.size;
  $('my-count').textContent = n ? `${n} video${n === 1 ? '' : 's'}` : '';
  const empty = $('my-empty');
  if (n === 0) {
    const box = h('div', { class: 'empty', id: 'my-empty-state' });
    box.append(icon('upload'), h('h2', {}, 'You have not uploaded anything yet'),
      h('p', {}, 'Upload a video and follow its processing here, live.'),
      h('a', { class: 'btn', href: '/upload' }, 'Upload a video'));
    empty.replaceChildren(box);
  }
  empty.hidden = n > 0;
}

function askDelete(id) {
  const v = videos.get(id);
  const dialog = $('delete-dialog');
  $('delete-text').textContent = `“${v.title}” and all its files will be removed. This cannot be undone.`;
  dialog.returnValue = '';
  dialog.onclose = async () => {
    if (dialog.returnValue !== 'delete') {
      document.querySelector(`#video-${CSS.escape(id)} .delete`)?.focus();
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

async function start() {
  me = session.user();
  try {
    const mine = await loadAll();
    for (const v of mine) videos.set(v.id, v);
    list.replaceChildren(...mine.map(row));
    updateCount();
    // Unfinished uploads are not followed: they may never change, and the server notices a closed
    // stream only when it has something to send, so it would hold each one until its timeout.
    mine.filter((v) => !FINAL.has(v.status) && v.status !== 'UPLOADING').forEach((v) => follow(v.id));
    const target = location.hash.match(/^#video-(.+)$/);
    if (target && $('video-' + decodeURIComponent(target[1]))) {
      const article = $('video-' + decodeURIComponent(target[1]));
      article.scrollIntoView({ block: 'center' });
      toggleEdit(decodeURIComponent(target[1]), true);
    }
  } catch (err) {
    if (err.status === 401) {
      loginAgain();
      return;
    }
    showAlert(errorBox, errorText(err));
  } finally {
    list.setAttribute('aria-busy', 'false');
  }
}

if (requireLogin()) {
  list.replaceChildren(...Array.from({ length: 3 }, () => h('div', { class: 'skeleton', style: 'height:130px', 'aria-hidden': 'true' })));
  start();
}
