// @ts-check
// Gallery: READY public videos (and the visitor's own, any status), with search, sort and paging.
// The query lives in the address (?q=&sort=&page=), so results can be linked and Back works.
import {
  $, api, h, icon, session, showAlert, clearAlert, thumbnail, statusBadge, timeAgo, STATUS, VISIBILITY, VISIBILITY_LABEL,
} from '/app.js';

/** @typedef {import('/api-types.js').Video} Video */
/** @typedef {import('/api-types.js').VideoPage} VideoPage */
/**
 * What the page shows, as its address says.
 * @typedef {{q: string, sort: string, page: number}} State
 */

const PAGE_SIZE = 24;
const grid = $('video-grid');
const empty = $('gallery-empty');
const errorBox = $('gallery-error');
const pager = $('pager');
const pageInfo = $('page-info');
const prev = $('prev-page', HTMLButtonElement);
const next = $('next-page', HTMLButtonElement);
const count = $('result-count');
const form = $('search-form', HTMLFormElement);
const search = $('search', HTMLInputElement);
const sort = $('sort', HTMLSelectElement);

let state = readState();
/** @type {Promise<VideoPage> | null} */
let loading = null;
let loadCounter = 0;

/** @returns {State} */
function readState() {
  const params = new URLSearchParams(location.search);
  const page = Math.max(1, parseInt(params.get('page') || '1', 10) || 1);
  return { q: params.get('q') || '', sort: params.get('sort') || 'newest', page };
}

/** @param {boolean} push a new history entry (else this one is replaced) */
function writeState(push) {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  if (state.sort !== 'newest') params.set('sort', state.sort);
  if (state.page > 1) params.set('page', String(state.page));
  const url = location.pathname + (params.toString() ? '?' + params : '');
  history[push ? 'pushState' : 'replaceState'](null, '', url);
}

function skeleton() {
  grid.replaceChildren(...Array.from({ length: 8 }, () => h('div', { class: 'skeleton card-sk', 'aria-hidden': 'true' })));
}

/** @param {Video} video */
function card(video) {
  const corner = h('div', { class: 'corner' },
    video.status !== STATUS.READY ? statusBadge(video.status) : null,
    video.visibility !== VISIBILITY.PUBLIC ? h('span', { class: 'badge ' + video.visibility }, VISIBILITY_LABEL[video.visibility]) : null);
  const thumb = thumbnail(video);
  thumb.append(corner);
  return h('a', { class: 'video-card', href: '/watch/' + encodeURIComponent(video.id), dataset: { videoId: video.id } },
    thumb,
    h('div', { class: 'meta' },
      h('div', { class: 'title' }, video.title),
      h('div', { class: 'sub' }, `${video.owner?.username ?? ''} · ${timeAgo(video.createdAt)}`)));
}

function showEmpty() {
  const searching = Boolean(state.q);
  const box = h('div', { class: 'empty', id: 'empty-state' });
  box.append(icon(searching ? 'search' : 'film'));
  if (searching) {
    box.append(h('h2', {}, `No videos match “${state.q}”`),
      h('p', {}, 'Try another word, or clear the search.'),
      h('button', { class: 'btn secondary', type: 'button', onclick: () => { search.value = ''; update({ q: '', page: 1 }, true); } }, 'Clear search'));
  } else {
    box.append(h('h2', {}, 'No videos yet'),
      h('p', {}, session.signedIn ? 'Be the first: upload a video and it appears here once it is ready.'
        : 'Nothing has been published here yet. Sign up to upload the first video.'),
      h('a', { class: 'btn', href: session.signedIn ? '/upload' : '/signup' }, session.signedIn ? 'Upload a video' : 'Sign up'));
  }
  empty.replaceChildren(box);
  empty.hidden = false;
}

async function load() {
  const mine = ++loadCounter;
  clearAlert(errorBox);
  grid.setAttribute('aria-busy', 'true');
  if (!grid.children.length) skeleton();
  const params = new URLSearchParams({ page: String(state.page - 1), size: String(PAGE_SIZE), sort: state.sort });
  if (state.q) params.set('q', state.q);
  loading = api('/api/gallery/videos?' + params);
  try {
    const result = await loading;
    if (mine !== loadCounter) return;
    const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
    if (state.page > pages && result.total > 0) {
      update({ page: pages }, false);
      return;
    }
    grid.replaceChildren(...result.items.map(card));
    empty.hidden = result.items.length > 0;
    if (!result.items.length) showEmpty();
    count.textContent = result.total === 0 ? '' : `${result.total} video${result.total === 1 ? '' : 's'}${state.q ? ` matching “${state.q}”` : ''}`;
    pager.hidden = pages <= 1;
    pageInfo.textContent = `Page ${state.page} of ${pages}`;
    prev.disabled = state.page <= 1;
    next.disabled = state.page >= pages;
  } catch (err) {
    if (mine !== loadCounter) return;
    grid.replaceChildren();
    showAlert(errorBox, err);
  } finally {
    if (mine === loadCounter) {
      loading = null;
      grid.setAttribute('aria-busy', 'false');
    }
  }
}

/**
 * @param {Partial<State>} changes
 * @param {boolean} push
 */
function update(changes, push) {
  state = { ...state, ...changes };
  writeState(push);
  load();
}

function syncForm() {
  search.value = state.q;
  sort.value = state.sort;
}

let typing;
search.addEventListener('input', () => {
  clearTimeout(typing);
  typing = setTimeout(() => update({ q: search.value.trim(), page: 1 }, false), 300);
});
form.addEventListener('submit', (e) => {
  e.preventDefault();
  clearTimeout(typing);
  update({ q: search.value.trim(), page: 1 }, true);
});
sort.addEventListener('change', () => update({ sort: sort.value, page: 1 }, true));
prev.addEventListener('click', () => { update({ page: state.page - 1 }, true); window.scrollTo({ top: 0 }); });
next.addEventListener('click', () => { update({ page: state.page + 1 }, true); window.scrollTo({ top: 0 }); });
window.addEventListener('popstate', () => {
  state = readState();
  syncForm();
  load();
});

syncForm();
load();
