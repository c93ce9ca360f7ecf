// @ts-check
// Admin: queue figures and workers (polled), a backlog chart drawn in plain SVG from those
// figures, dead letters with retry buttons, and the job list with ffmpeg logs.
import { $, api, session, requireLogin, loginAgain, showAlert, clearAlert, errorText, h, icon, timeAgo, formatDate } from '/app.js';

/** @typedef {import('/api-types.js').QueueFigures} QueueFigures */
/** @typedef {import('/api-types.js').Job} Job */
/** @typedef {import('/api-types.js').RetriedJobs} RetriedJobs */
/** @typedef {import('/api-types.js').Video} Video */
/**
 * One sample of the chart: when, and the figures then.
 * @typedef {{t: number, queued: number, inFlight: number, dead: number}} Sample
 */

const errorBox = $('admin-error');
const notice = $('admin-notice');
const chart = $('backlog-chart', SVGSVGElement);
const SVG = 'http://www.w3.org/2000/svg';
const QUEUE_EVERY = 2000;
const JOBS_EVERY = 5000;
const HISTORY_KEY = 'vf.admin.backlog';
const HISTORY_SPAN = 15 * 60 * 1000;

let history = loadHistory();
/** @type {Map<string, Promise<string | null>>} */
const titles = new Map();

/** @returns {Sample[]} */
function loadHistory() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(HISTORY_KEY) || '[]');
    return Array.isArray(saved) ? saved.filter((p) => Date.now() - p.t < HISTORY_SPAN) : [];
  } catch {
    return [];
  }
}

/** @param {number} seconds */
function waited(seconds) {
  if (!seconds) return '0 s';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

async function pollQueue() {
  try {
    /** @type {QueueFigures} */
    const q = await api('/api/admin/queue', { auth: 'required' });
    $('fig-queued').textContent = String(q.queued);
    $('fig-inflight').textContent = String(q.inFlight);
    $('fig-dead').textContent = String(q.deadLettered);
    $('fig-dead-box').classList.toggle('bad', q.deadLettered > 0);
    $('fig-done').textContent = String(q.done ?? '–');
    $('fig-oldest').textContent = waited(q.oldestQueuedAgeSeconds);
    $('fig-workers').textContent = `${q.workers} / ${q.desiredWorkers}`;
    $('fig-processors').textContent = `(${q.processors} processor${q.processors === 1 ? '' : 's'})`;
    $('admin-updated').textContent = 'Updated ' + new Date().toLocaleTimeString();
    history.push({ t: Date.now(), queued: q.queued, inFlight: q.inFlight, dead: q.deadLettered });
    history = history.filter((p) => Date.now() - p.t < HISTORY_SPAN);
    sessionStorage.setItem(HISTORY_KEY, JSON.stringify(history));
    drawChart();
    clearAlert(errorBox);
  } catch (err) {
    if (err.status === 401) loginAgain();
    else showAlert(errorBox, errorText(err));
  }
}

// The chart: one polyline per series over the sampled window, a nice rounded y scale.
/**
 * @param {string} tag
 * @param {Record<string, string | number>} [attrs]
 * @param {string | number} [text]
 */
function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

/** @param {number} value */
function niceMax(value) {
  if (value <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * magnitude >= value) return step * magnitude;
  }
  return 10 * magnitude;
}

function drawChart() {
  // Drawn at the size it is shown, so the labels stay readable on a phone.
  const W = Math.max(280, Math.round(chart.clientWidth || 800));
  const H = W < 600 ? 200 : 240;
  chart.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const pad = { left: 40, right: 12, top: 12, bottom: 28 };
  const desc = chart.querySelector('desc');
  chart.replaceChildren(desc);
  if (!history.length) return;
  const now = Date.now();
  const span = Math.max(60_000, now - history[0].t);
  const top = niceMax(Math.max(...history.map((p) => Math.max(p.queued, p.inFlight, p.dead))));
  /** @param {number} t */
  const x = (t) => pad.left + ((t - (now - span)) / span) * (W - pad.left - pad.right);
  /** @param {number} v */
  const y = (v) => H - pad.bottom - (v / top) * (H - pad.top - pad.bottom);
  for (let i = 0; i <= 4; i++) {
    const value = (top / 4) * i;
    chart.append(svg('line', { x1: pad.left, x2: W - pad.right, y1: y(value), y2: y(value), stroke: '#e3e6ec', 'stroke-width': 1 }),
      svg('text', { x: pad.left - 8, y: y(value) + 4, 'text-anchor': 'end', 'font-size': 12, fill: '#4d5361' },
        Number.isInteger(value) ? value : value.toFixed(1)));
  }
  const minutes = span / 60000;
  for (const f of [0, 0.5, 1]) {
    const ago = minutes * (1 - f);
    const label = f === 1 ? 'now' : ago >= 1 ? `−${ago.toFixed(ago < 10 ? 1 : 0)} min` : `−${Math.round(ago * 60)} s`;
    chart.append(svg('text', {
      x: pad.left + f * (W - pad.left - pad.right), y: H - 8, 'font-size': 12, fill: '#4d5361',
      'text-anchor': f === 0 ? 'start' : f === 1 ? 'end' : 'middle',
    }, label));
  }
  /** @type {['queued' | 'inFlight' | 'dead', string][]} */
  const series = [['queued', '#4338ca'], ['inFlight', '#0f766e'], ['dead', '#b42318']];
  const base = y(0);
  const queuedPoints = history.map((p) => `${x(p.t).toFixed(1)},${y(p.queued).toFixed(1)}`);
  chart.append(svg('polygon', {
    points: `${x(history[0].t).toFixed(1)},${base} ${queuedPoints.join(' ')} ${x(history[history.length - 1].t).toFixed(1)},${base}`,
    fill: 'rgba(67, 56, 202, .10)',
  }));
  for (const [key, colour] of series) {
    const points = history.map((p) => `${x(p.t).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ');
    chart.append(svg('polyline', { points, fill: 'none', stroke: colour, 'stroke-width': 2.5, 'stroke-linejoin': 'round', class: 'series-' + key }));
    const last = history[history.length - 1];
    chart.append(svg('circle', { cx: x(last.t), cy: y(last[key]), r: 3.5, fill: colour }));
  }
  const last = history[history.length - 1];
  desc.textContent = `Over the last ${minutes < 1 ? Math.round(minutes * 60) + ' seconds' : Math.round(minutes) + ' minutes'}: `
    + `now ${last.queued} queued, ${last.inFlight} in progress, ${last.dead} dead-lettered; at most ${Math.max(...history.map((p) => p.queued))} queued.`;
  chart.dataset.points = String(history.length);
}

// Jobs

/**
 * The title of a video (null when it is gone), asked for once.
 * @param {string} id
 */
async function videoTitle(id) {
  if (!titles.has(id)) {
    titles.set(id, api('/api/gallery/videos/' + encodeURIComponent(id)).then((/** @type {Video} */ v) => v.title).catch(() => null));
  }
  return titles.get(id);
}

/** @param {Job} job */
function videoCell(job) {
  const link = h('a', { href: '/watch/' + encodeURIComponent(job.videoId), class: 'mono' }, job.videoId);
  const cell = h('td', {}, link);
  videoTitle(job.videoId).then((title) => {
    if (title) {
      link.textContent = title;
      link.classList.remove('mono');
    }
    else cell.replaceChildren(h('span', { class: 'muted mono', title: 'deleted' }, job.videoId));
  });
  return cell;
}

/** @param {Job} job */
function took(job) {
  if (!job.startedAt) return '';
  const end = job.finishedAt ? new Date(job.finishedAt) : new Date();
  const seconds = (end.getTime() - new Date(job.startedAt).getTime()) / 1000;
  return waited(seconds) + (job.finishedAt ? '' : ' so far');
}

/** @param {Job} job */
function logButtons(job) {
  return job.logs.map((url) => {
    const attempt = url.split('/').pop();
    return h('button', {
      type: 'button', class: 'btn ghost small', 'aria-label': `ffmpeg log of attempt ${attempt} of job ${job.id}`,
      onclick: () => showLog(url, `ffmpeg log · job ${job.id.slice(0, 8)} · attempt ${attempt}`),
    }, `Log ${attempt}`);
  });
}

/** @param {Job} job */
function retryButton(job) {
  return h('button', {
    type: 'button', class: 'btn small retry-job', dataset: { jobId: job.id }, 'aria-label': `Retry job ${job.id}`,
    onclick: (e) => retry(job, /** @type {HTMLButtonElement} */ (e.target)),
  }, 'Retry');
}

/**
 * @param {Job[]} jobs
 * @param {{dead: boolean}} options dead: the dead letters' table (with Retry buttons)
 */
function jobTable(jobs, { dead }) {
  const head = dead
    ? ['Job', 'Video', 'Attempts', 'Last error', 'Failed', 'Logs', '']
    : ['Job', 'Video', 'State', 'Attempts', 'Created', 'Took', 'Worker', 'Last error', 'Logs'];
  const rows = jobs.map((job) => {
    const cells = dead
      ? [h('td', { class: 'mono', title: job.id }, job.id.slice(0, 8)), videoCell(job), h('td', {}, `${job.attempts}/${job.maxAttempts}`),
        h('td', { class: 'err' }, job.lastError || ''), h('td', { title: formatDate(job.finishedAt) }, timeAgo(job.finishedAt)),
        h('td', {}, h('span', { class: 'row' }, ...logButtons(job))), h('td', {}, retryButton(job))]
      : [h('td', { class: 'mono', title: job.id }, job.id.slice(0, 8)), videoCell(job),
        h('td', {}, h('span', { class: 'badge ' + job.state }, job.state === 'LEASED' ? 'In progress' : job.state)),
        h('td', {}, `${job.attempts}/${job.maxAttempts}`), h('td', { title: formatDate(job.createdAt) }, timeAgo(job.createdAt)),
        h('td', {}, took(job)), h('td', { class: 'mono' }, job.worker || ''), h('td', { class: 'err' }, job.lastError || ''),
        h('td', {}, h('span', { class: 'row' }, ...logButtons(job)))];
    cells.forEach((cell, i) => { cell.dataset.label = head[i]; });
    return h('tr', { dataset: { jobId: job.id, videoId: job.videoId, state: job.state } }, ...cells);
  });
  return h('div', { class: 'table-wrap' },
    h('table', { id: dead ? 'dead-table' : 'jobs-table' },
      h('thead', {}, h('tr', {}, ...head.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, ...rows)));
}

/** @param {string} text */
function emptyNote(text) {
  return h('p', { class: 'muted', style: 'margin:0' }, text);
}

/** What the job tables show now, and since when: they are drawn again only when it changes (or their times age). */
let shownJobs = '';
let shownAt = 0;
const REDRAW_TIMES_EVERY = 60000;

async function pollJobs() {
  try {
    const state = $('job-state', HTMLSelectElement).value;
    /** @type {[Job[], Job[]]} */
    const [dead, jobs] = await Promise.all([
      api('/api/admin/jobs?state=DEAD&limit=100'),
      api('/api/admin/jobs?limit=50' + (state ? '&state=' + state : '')),
    ]);
    // Drawing the tables anew moves every button under the pointer (and the keyboard focus away):
    // a Retry clicked as the rows shift would land on another row, or on nothing.
    const showing = JSON.stringify([state, dead, jobs]);
    if (showing === shownJobs && Date.now() - shownAt < REDRAW_TIMES_EVERY) return;
    shownJobs = showing;
    shownAt = Date.now();
    $('dead-letters').replaceChildren(dead.length ? jobTable(dead, { dead: true })
      : emptyNote('Nothing is dead-lettered: every job either finished or is still being tried.'));
    $('retry-all', HTMLButtonElement).disabled = dead.length === 0;
    $('jobs').replaceChildren(jobs.length ? jobTable(jobs, { dead: false }) : emptyNote('No jobs in this state.'));
  } catch (err) {
    showAlert(errorBox, errorText(err));
  }
}

/**
 * @param {Job} job
 * @param {HTMLButtonElement} button
 */
async function retry(job, button) {
  button.disabled = true;
  try {
    await api(`/api/admin/jobs/${encodeURIComponent(job.id)}/retry`, { method: 'POST' });
    showAlert(notice, `Job ${job.id.slice(0, 8)} is back in the queue with fresh attempts.`, 'success');
  } catch (err) {
    showAlert(errorBox, errorText(err));
  }
  await Promise.all([pollJobs(), pollQueue()]);
}

$('retry-all').addEventListener('click', async (e) => {
  const button = /** @type {HTMLButtonElement} */ (e.target);
  button.disabled = true;
  try {
    /** @type {RetriedJobs} */
    const { jobs } = await api('/api/admin/jobs/retry-dead', { method: 'POST' });
    showAlert(notice, `${jobs} job${jobs === 1 ? ' is' : 's are'} back in the queue.`, 'success');
  } catch (err) {
    showAlert(errorBox, errorText(err));
  }
  await Promise.all([pollJobs(), pollQueue()]);
});

$('job-state').addEventListener('change', pollJobs);
let resizing;
window.addEventListener('resize', () => {
  clearTimeout(resizing);
  resizing = setTimeout(drawChart, 150);
});

/**
 * @param {string} url
 * @param {string} title
 */
async function showLog(url, title) {
  const dialog = $('log-dialog', HTMLDialogElement);
  $('log-title').textContent = title;
  $('log-text').textContent = 'Loading…';
  dialog.showModal();
  try {
    /** @type {string} */
    const text = await api(url, { headers: { Accept: 'text/plain' } });
    $('log-text').textContent = text || '(empty)';
  } catch (err) {
    $('log-text').textContent = errorText(err);
  }
}

/**
 * Runs `fn` now and every `ms` while the page is shown, and at once when it is shown again.
 * @param {number} ms
 * @param {() => Promise<void>} fn
 */
function every(ms, fn) {
  let timer;
  const tick = async () => {
    if (!document.hidden) await fn();
    timer = setTimeout(tick, ms);
  };
  tick();
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) {
      clearTimeout(timer);
      tick();
    }
  });
}

if (requireLogin()) {
  if (!session.isAdmin) {
    const box = h('div', { class: 'empty' });
    box.append(icon('lock'), h('h2', {}, 'Administrators only'),
      h('p', {}, 'This page shows the transcoding queue; your account is not an administrator.'),
      h('a', { class: 'btn', href: '/' }, 'Back to the gallery'));
    $('admin-forbidden').replaceChildren(box);
    $('admin-forbidden').hidden = false;
  } else {
    $('admin-content').hidden = false;
    drawChart();
    every(QUEUE_EVERY, pollQueue);
    every(JOBS_EVERY, pollJobs);
  }
}
