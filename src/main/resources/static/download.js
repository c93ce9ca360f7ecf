// @ts-check
// Watch page: a Download button with a quality choice, shown only when the owner allows downloads
// (each quality of GET /api/stream/{id}/qualities then has a signed `downloadUrl`).
import { h } from '/app.js';

/** @typedef {import('/api-types.js').StreamQualities} StreamQualities */

/** @param {StreamQualities | null} urls */
export function renderDownload(urls) {
  const box = document.getElementById('download');
  if (!box) return;
  const offered = (urls?.qualities || []).filter((q) => q.downloadUrl);
  box.hidden = offered.length === 0;
  if (!offered.length) return;
  const select = h('select', { id: 'download-quality', 'aria-label': 'Download quality' },
    ...offered.map((q) => h('option', { value: q.downloadUrl }, q.name)));
  const link = h('a', { class: 'btn secondary small', id: 'download-link', href: offered[0].downloadUrl, download: '' }, 'Download');
  select.addEventListener('change', () => { link.href = select.value; });
  box.replaceChildren(select, link);
}
