// @ts-check
// Watch page, captions: the player's captions menu (hls.js subtitle tracks, or the video element's
// text tracks where the browser plays HLS itself) and, for the owner, the list of tracks with
// upload and delete (POST/DELETE /api/gallery/videos/{id}/captions).
import { $, accessToken, toApiError, api, h, errorText, showAlert, clearAlert } from '/app.js';

/** @typedef {import('/api-types.js').Video} Video */
/** @typedef {import('/api-types.js').CaptionTrack} CaptionTrack */
/** @typedef {import('hls.js').default} HlsPlayer */

/**
 * Fills the captions menu from hls.js's subtitle tracks and switches them; Off by default.
 * @param {HlsPlayer} hls
 * @param {typeof import('hls.js').default} Hls the hls.js class (its events)
 * @param {HTMLElement} player
 */
export function wireCaptionsMenu(hls, Hls, player) {
  const menu = $('captions', HTMLSelectElement);
  const fill = () => {
    const tracks = hls.subtitleTracks || [];
    menu.replaceChildren(h('option', { value: '-1' }, 'Captions off'),
      ...tracks.map((t, i) => h('option', { value: String(i), lang: t.lang || null }, t.name || t.lang || `Track ${i + 1}`)));
    menu.value = String(hls.subtitleTrack >= 0 && hls.subtitleDisplay ? hls.subtitleTrack : -1);
    menu.hidden = tracks.length === 0;
    player.dataset.captionTracks = String(tracks.length);
  };
  hls.on(Hls.Events.MANIFEST_PARSED, fill);
  hls.on(Hls.Events.SUBTITLE_TRACKS_UPDATED, fill);
  hls.on(Hls.Events.SUBTITLE_TRACK_SWITCH, (_, data) => { player.dataset.captions = String(data.id); });
  menu.onchange = () => {
    const index = Number(menu.value);
    hls.subtitleDisplay = index >= 0;
    hls.subtitleTrack = index;
    player.dataset.captions = String(index);
  };
}

/**
 * Where the browser plays HLS itself (Safari): the tracks it made from the playlist's SUBTITLES.
 * @param {HTMLVideoElement} video
 * @param {HTMLElement} player
 */
export function wireNativeCaptions(video, player) {
  const menu = $('captions', HTMLSelectElement);
  const tracks = () => [...video.textTracks].filter((t) => t.kind === 'subtitles' || t.kind === 'captions');
  const fill = () => {
    const list = tracks();
    menu.replaceChildren(h('option', { value: '-1' }, 'Captions off'),
      ...list.map((t, i) => h('option', { value: String(i) }, t.label || t.language || `Track ${i + 1}`)));
    const showing = list.findIndex((t) => t.mode === 'showing');
    menu.value = String(showing);
    menu.hidden = list.length === 0;
    player.dataset.captionTracks = String(list.length);
  };
  video.textTracks.addEventListener('addtrack', fill);
  video.textTracks.addEventListener('removetrack', fill);
  menu.onchange = () => {
    tracks().forEach((t, i) => { t.mode = i === Number(menu.value) ? 'showing' : 'disabled'; });
    player.dataset.captions = menu.value;
  };
}

/**
 * The owner's list of tracks with upload and delete; {@code changed} reloads the player so the menu follows.
 * @param {Video} video
 * @param {(video: Video) => void} changed
 */
export function ownerCaptions(video, changed) {
  const box = $('captions-owner');
  const list = $('captions-list');
  const form = $('captions-form', HTMLFormElement);
  const error = $('captions-error');
  box.hidden = false;
  /** @param {CaptionTrack[]} captions */
  const render = (captions) => {
    list.replaceChildren(...(captions.length ? captions.map((c) => h('li', { dataset: { language: c.language } },
      h('span', {}, `${c.label} (${c.language}${c.source === 'embedded' ? ', from the file' : ''})`),
      h('button', { type: 'button', class: 'btn secondary small', onclick: () => remove(c) }, 'Delete')))
      : [h('li', { class: 'muted' }, 'No captions yet.')]));
  };
  const refresh = async () => {
    /** @type {Video} */
    const v = await api(`/api/gallery/videos/${encodeURIComponent(video.id)}`);
    render(v.captions || []);
    changed(v);
  };
  /** @param {CaptionTrack} c */
  async function remove(c) {
    clearAlert(error);
    try {
      await api(`/api/gallery/videos/${encodeURIComponent(video.id)}/captions/${encodeURIComponent(c.language)}`, { method: 'DELETE', auth: 'required' });
      await refresh();
    } catch (err) {
      showAlert(error, errorText(err));
    }
  }
  form.onsubmit = async (e) => {
    e.preventDefault();
    clearAlert(error);
    const file = $('caption-file', HTMLInputElement).files[0];
    const language = $('caption-language', HTMLInputElement).value.trim();
    const label = $('caption-label', HTMLInputElement).value.trim();
    if (!file || !language || !label) {
      showAlert(error, 'Choose a file, and give its language and a label.');
      return;
    }
    const body = new FormData();
    body.append('file', file);
    body.append('language', language);
    body.append('label', label);
    const button = $('caption-upload', HTMLButtonElement);
    button.disabled = true;
    try {
      const token = await accessToken();
      const res = await fetch(`/api/gallery/videos/${encodeURIComponent(video.id)}/captions`, {
        method: 'POST', body, headers: { Authorization: 'Bearer ' + token, Accept: 'application/json' },
      });
      if (!res.ok) throw await toApiError(res);
      form.reset();
      await refresh();
    } catch (err) {
      showAlert(error, errorText(err));
    } finally {
      button.disabled = false;
    }
  };
  render(video.captions || []);
}
