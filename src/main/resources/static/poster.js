// @ts-check
// My videos, edit form: the owner picks the poster, by a time in the video or by uploading an
// image (POST /api/gallery/videos/{id}/thumbnail). The server redraws it as a JPEG under a new URL.
import { api, accessToken, toApiError, showAlert, clearAlert, errorText, h } from '/app.js';

/** @typedef {import('/api-types.js').Video} Video */

/**
 * The poster fields of a READY video with pictures; `onSaved(video)` gets the updated video.
 * @param {Video} v
 * @param {(video: Video) => void} onSaved
 */
export function posterFields(v, onSaved) {
  const id = v.id;
  const box = h('div', { class: 'alert error poster-error', role: 'alert', hidden: true });
  const time = h('input', {
    type: 'number', id: 'poster-time-' + id, name: 'posterTime', min: '0', step: '0.1',
    max: String(Math.max(0, (v.durationSeconds || 0) - 0.05)), value: '0',
  });
  const file = h('input', { type: 'file', id: 'poster-file-' + id, name: 'posterFile', accept: 'image/jpeg,image/png,image/webp' });
  /** @param {boolean} on */
  const busy = (on) => fieldset.querySelectorAll('button').forEach((b) => { b.disabled = on; });

  async function byTime() {
    clearAlert(box);
    busy(true);
    try {
      onSaved(await api(`/api/gallery/videos/${encodeURIComponent(id)}/thumbnail`, {
        method: 'POST', auth: 'required', body: { atSeconds: Number(time.value) },
      }));
    } catch (err) {
      showAlert(box, errorText(err));
      busy(false);
    }
  }

  async function byImage() {
    clearAlert(box);
    if (!file.files.length) {
      showAlert(box, 'Choose a JPEG, PNG or WebP image first.');
      return;
    }
    busy(true);
    try {
      const form = new FormData();
      form.append('file', file.files[0]);
      const token = await accessToken();
      const res = await fetch(`/api/gallery/videos/${encodeURIComponent(id)}/thumbnail`, {
        method: 'POST', body: form, headers: { Accept: 'application/json', Authorization: 'Bearer ' + token },
      });
      if (!res.ok) throw await toApiError(res);
      onSaved(await res.json());
    } catch (err) {
      showAlert(box, errorText(err));
      busy(false);
    }
  }

  const fieldset = h('fieldset', { class: 'field poster-fields' },
    h('legend', {}, 'Poster'),
    box,
    h('div', { class: 'row' },
      h('label', { for: 'poster-time-' + id }, 'Frame at (seconds)'), time,
      h('button', { type: 'button', class: 'btn secondary small poster-time', onclick: byTime }, 'Use this frame')),
    h('div', { class: 'row' },
      h('label', { for: 'poster-file-' + id }, 'Or an image'), file,
      h('button', { type: 'button', class: 'btn secondary small poster-upload', onclick: byImage }, 'Upload image')));
  return fieldset;
}
