// @ts-check
// Shared by every page: the API client (Bearer tokens, refresh on 401, error JSON), the session,
// the site header, live video events and small formatting helpers. Plain ES module, no libraries.

/** @typedef {import('/api-types.js').Video} Video */
/** @typedef {import('/api-types.js').VideoEvent} VideoEvent */
/** @typedef {import('/api-types.js').VideoStatus} VideoStatus */
/** @typedef {import('/api-types.js').Visibility} Visibility */
/** @typedef {import('/api-types.js').Tokens} Tokens */
/** @typedef {import('/api-types.js').ErrorBody} ErrorBody */

const ACCESS = 'vf.accessToken';
const REFRESH = 'vf.refreshToken';

/**
 * The element of this id (null when the page has none), of the given kind when one is named:
 * `$('email', HTMLInputElement)`. An element of another kind is a mistake in the page: a TypeError.
 * @template {Element} [E=HTMLElement]
 * @param {string} id
 * @param {{new (): E, prototype: E}} [kind]
 * @returns {E}
 */
export function $(id, kind) {
  /** @type {Element} */
  const element = document.getElementById(id);
  if (element && kind && !(element instanceof kind)) {
    throw new TypeError(`#${id} is a <${element.localName}>, not the ${kind.name} the page expects`);
  }
  return /** @type {E} */ (element);
}

/** An API refusal: the status and the `{error, message}` body of API.md. */
export class ApiError extends Error {
  /**
   * @param {number} status the HTTP status
   * @param {string} code the body's `error` (`http_<status>` without one)
   * @param {string} message the body's `message`, or a sentence for the status
   * @param {number} [retryAfter] seconds, from `Retry-After`
   */
  constructor(status, code, message, retryAfter) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

/**
 * The claims of a JWT (not verified: the server does that), or null.
 * @param {string} token
 */
function decodeJwt(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(Array.from(atob(part), (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''));
    return JSON.parse(json);
  } catch {
    return null;
  }
}

/** @param {string | null} token */
const expiresInMs = (token) => {
  const claims = token && decodeJwt(token);
  return claims && claims.exp ? claims.exp * 1000 - Date.now() : -1;
};

/**
 * localStorage, or, where the browser refuses it (this site framed by another one with
 * third-party storage blocked: the embed page), a store that forgets: such a page is anonymous.
 */
const tokenStore = (() => {
  try {
    const store = window.localStorage;
    store.getItem(ACCESS);
    return store;
  } catch {
    const memory = new Map();
    return {
      getItem: (key) => (memory.has(key) ? memory.get(key) : null),
      setItem: (key, value) => memory.set(key, String(value)),
      removeItem: (key) => memory.delete(key),
    };
  }
})();

/** The tokens of this browser, kept in localStorage so every tab shares one session. */
export const session = {
  get access() { return tokenStore.getItem(ACCESS); },
  get refresh() { return tokenStore.getItem(REFRESH); },
  /** @param {Tokens} tokens */
  save(tokens) {
    tokenStore.setItem(ACCESS, tokens.accessToken);
    if (tokens.refreshToken) tokenStore.setItem(REFRESH, tokens.refreshToken);
  },
  clear() {
    tokenStore.removeItem(ACCESS);
    tokenStore.removeItem(REFRESH);
  },
  /** Whether someone is signed in here (a refresh token, or an access token still valid). */
  get signedIn() { return Boolean(this.refresh) || expiresInMs(this.access) > 0; },
  /**
   * `{id, username, roles}` from the access token's claims, or null.
   * @returns {{id: string, username: string, roles: string[]} | null}
   */
  user() {
    if (!this.signedIn) return null;
    const claims = decodeJwt(this.access || '');
    if (!claims) return null;
    return { id: claims.sub, username: claims.username, roles: claims.roles || [] };
  },
  get isAdmin() { return (this.user()?.roles || []).includes('ADMIN'); },
};

/** @type {Promise<string | null> | null} */
let refreshing = null;

/**
 * A usable access token: the stored one while it has more than 30 s to live, else a new one from
 * the refresh token (one refresh at a time, across tabs where the browser has Web Locks, because a
 * refresh token used twice signs every session out). Null when nobody is signed in.
 * @param {{force?: boolean}} [options] `force`: a new one even if the stored one looks valid (the server refused it)
 * @returns {Promise<string | null>}
 */
export async function accessToken({ force = false } = {}) {
  const token = session.access;
  if (!force && expiresInMs(token) > 30_000) return token;
  if (!session.refresh) {
    if (!force) return expiresInMs(token) > 0 ? token : null;
    // A refresh is forced when the server refused the token; with nothing to renew it, the
    // session is over: show the page signed out (callers go on anonymously or ask to log in).
    if (token && session.access === token) {
      session.clear();
      renderHeader();
    }
    return null;
  }
  if (!refreshing) {
    const stale = token;
    const run = async () => {
      // Another tab may have refreshed while this one waited for the lock.
      const now = session.access;
      if (now && now !== stale && expiresInMs(now) > 30_000) return now;
      const refreshToken = session.refresh;
      if (!refreshToken) return null;
      const res = await fetch('/api/auth/refresh', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refreshToken }),
      });
      if (res.ok) {
        /** @type {Tokens} */
        const tokens = await res.json();
        session.save(tokens);
        return tokens.accessToken;
      }
      if (res.status === 400 || res.status === 401) {
        // The session ended (expired, revoked, signed out elsewhere): show this page signed out.
        if (session.refresh === refreshToken) {
          session.clear();
          renderHeader();
        }
        return null;
      }
      throw await toApiError(res);
    };
    refreshing = (navigator.locks ? navigator.locks.request('vf-refresh', run) : run()).finally(() => { refreshing = null; });
  }
  return refreshing;
}

/** @type {Record<number, string>} */
const STATUS_TEXT = {
  400: 'The request was not accepted.', 401: 'Please log in again.', 403: 'You are not allowed to do this.',
  404: 'Not found.', 409: 'That conflicts with the current state.', 413: 'The file is too large.',
  415: 'That file is not a supported video or audio file.', 422: 'The request was refused.',
  429: 'Too many attempts; wait a moment and try again.', 503: 'The service is busy; try again shortly.',
};

/**
 * The API error of a response: its `{error, message}` JSON, or a sentence for the status.
 * @param {Response} res
 */
export async function toApiError(res) {
  let code = 'http_' + res.status;
  let message = STATUS_TEXT[res.status] || `The server answered ${res.status}.`;
  try {
    /** @type {ErrorBody} */
    const body = JSON.parse(await res.text());
    if (body && body.message) message = body.message;
    if (body && body.error) code = body.error;
  } catch { /* not JSON: keep the status sentence */ }
  const retry = Number(res.headers.get('Retry-After'));
  return new ApiError(res.status, code, message, Number.isFinite(retry) && retry > 0 ? retry : undefined);
}

/**
 * What api() takes besides the path.
 * @typedef {object} ApiOptions
 * @property {string} [method] GET unless said
 * @property {unknown} [body] sent as JSON
 * @property {boolean | 'required'} [auth] send the session's token (true, the default); `'required'`:
 *   a 401 is thrown rather than tried again anonymously; false: anonymous
 * @property {AbortSignal} [signal]
 * @property {Record<string, string>} [headers] besides `Accept: application/json` (or instead of it)
 */

/**
 * Calls the JSON API. Sends the Bearer token when signed in; on 401 refreshes once and retries,
 * anonymously when the session is gone unless `auth: 'required'` (then the 401 is thrown).
 * Resolves to the parsed body, throws an ApiError.
 * @param {string} path
 * @param {ApiOptions} [options]
 * @returns {Promise<any>} the body as JSON (text when it is not JSON, null for a 204), of the type
 *   the caller names on the variable it goes to (a `@type` of api-types.js)
 */
export async function api(path, { method = 'GET', body, auth = true, signal, headers = {} } = {}) {
  /** @param {string | null} token */
  const send = (token) => {
    /** @type {Record<string, string>} */
    const h = { Accept: 'application/json', ...headers };
    if (body !== undefined) h['Content-Type'] = 'application/json';
    if (token) h.Authorization = 'Bearer ' + token;
    return fetch(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), signal });
  };
  let token = auth ? await accessToken().catch(() => session.access) : null;
  if (auth === 'required' && !token) throw new ApiError(401, 'unauthenticated', 'Your session has ended; log in again.');
  let res = await send(token);
  if (res.status === 401 && token) {
    const refused = await toApiError(res);
    // A wrong password or code is the answer, not a sign of an expired token: do not send it twice.
    if (refused.code === 'invalid_credentials' || refused.code === 'invalid_code') throw refused;
    token = await accessToken({ force: true }).catch(() => null);
    if (!token && auth === 'required') throw refused;
    res = await send(token);
  }
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  return type.includes('json') ? res.json() : res.text();
}

/** A sentence for the user from any error: the API's message, or what went wrong with the network. */
export function errorText(err) {
  if (err instanceof ApiError) {
    let text = err.message.charAt(0).toUpperCase() + err.message.slice(1);
    if (!/[.!?]$/.test(text)) text += '.';
    if (err.retryAfter && !/try again in/i.test(text)) text += ` Try again in ${formatWait(err.retryAfter)}.`;
    return text;
  }
  if (err instanceof TypeError) return 'Cannot reach the server. Check your connection and try again.';
  return err && err.message ? err.message : String(err);
}

function formatWait(seconds) {
  if (seconds < 90) return `${Math.ceil(seconds)} s`;
  return `${Math.ceil(seconds / 60)} min`;
}

/**
 * Shows an error (or any message) in a container with role="alert"; empty text hides it.
 * @param {HTMLElement} container
 * @param {unknown} message text, or an error (shown as errorText() says it)
 * @param {'error' | 'success' | 'info' | 'warning'} [kind]
 */
export function showAlert(container, message, kind = 'error') {
  if (!container) return;
  container.classList.remove('error', 'success', 'info', 'warning');
  container.classList.add('alert', kind);
  container.textContent = typeof message === 'string' ? message : errorText(message);
  container.hidden = !container.textContent;
}

/** @param {HTMLElement} container */
export function clearAlert(container) {
  if (container) {
    container.textContent = '';
    container.hidden = true;
  }
}

/** Sends the visitor to the login page (coming back here afterwards) unless signed in. */
export function requireLogin() {
  if (session.signedIn) return true;
  location.replace('/login?next=' + encodeURIComponent(location.pathname + location.search));
  return false;
}

/** After a 401 that a refresh could not cure, the session is over: log in again, then come back. */
export function loginAgain() {
  session.clear();
  location.replace('/login?reason=expired&next=' + encodeURIComponent(location.pathname + location.search));
}

/**
 * Where to go after logging in: the `next` parameter when it is a page of this site. It is
 * resolved as the browser would resolve it (to a browser `/\evil.example` is `//evil.example`,
 * another site) and kept only when it stays on this origin.
 */
export function nextPath(fallback = '/') {
  const next = new URLSearchParams(location.search).get('next');
  if (!next || !next.startsWith('/')) return fallback;
  let url;
  try {
    url = new URL(next, location.origin);
  } catch {
    return fallback;
  }
  return url.origin === location.origin ? url.pathname + url.search + url.hash : fallback;
}

export async function logOut() {
  const refreshToken = session.refresh;
  session.clear();
  if (refreshToken) {
    await fetch('/api/auth/logout', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refreshToken }),
    }).catch(() => {});
  }
  location.assign('/');
}

/**
 * A property of h(): text (a number is written as text), true for a bare attribute, false, null or
 * undefined for none, a listener for `on...`, an object for `dataset`.
 * @typedef {string | number | boolean | null | undefined | ((event: Event) => unknown) | Record<string, string>} Prop
 */

/**
 * A child of h(): a node, text, or nothing (null, undefined, false).
 * @typedef {Node | string | number | null | undefined | false} Child
 */

/**
 * Builds an element: h('a', {href: '/', class: 'x', onclick: fn}, 'text', child...).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, Prop>} [props]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = String(value);
    else if (key === 'text') node.textContent = String(value);
    else if (key === 'html') node.innerHTML = String(value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    // Through the CSSOM: the Content-Security-Policy refuses style attributes, not this.
    else if (key === 'style') node.style.cssText = String(value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, '');
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Small inline icons (drawn for VideoForge). */
export const icons = {
  logo: '<svg viewBox="0 0 32 32" aria-hidden="true"><rect width="32" height="32" rx="8" fill="#4338ca"/><path d="M12 9.5v13l11-6.5z" fill="#fff"/></svg>',
  film: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" aria-hidden="true"><rect x="3" y="5" width="18" height="14" rx="2"/><path d="M10 9.5v5l4.5-2.5z" fill="currentColor" stroke="none"/></svg>',
  upload: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M12 16V4M7 9l5-5 5 5"/><path d="M4 16v3a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-3"/></svg>',
  play: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M7 4.5v15l13-7.5z" fill="currentColor"/></svg>',
  pause: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 4h4v16H6zM14 4h4v16h-4z" fill="currentColor"/></svg>',
  volume: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" aria-hidden="true"><path d="M4 9h4l5-4v14l-5-4H4z" fill="currentColor"/><path d="M16.5 8.5a5 5 0 0 1 0 7M19 6a8.5 8.5 0 0 1 0 12" stroke-linecap="round"/></svg>',
  muted: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" aria-hidden="true"><path d="M4 9h4l5-4v14l-5-4H4z" fill="currentColor"/><path d="M17 9l5 6M22 9l-5 6" stroke-linecap="round"/></svg>',
  fullscreen: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" aria-hidden="true"><path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5"/></svg>',
  lock: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" aria-hidden="true"><rect x="5" y="11" width="14" height="9" rx="2"/><path d="M8 11V8a4 4 0 0 1 8 0v3"/></svg>',
  search: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" aria-hidden="true"><circle cx="11" cy="11" r="6.5"/><path d="M16 16l4.5 4.5" stroke-linecap="round"/></svg>',
};

/** @param {keyof typeof icons} name */
export function icon(name) {
  const span = document.createElement('span');
  span.innerHTML = icons[name];
  return span.firstElementChild;
}

/** Draws the site header into <header id="site-header">; the current page comes from <body data-page>. */
export function renderHeader() {
  const header = document.getElementById('site-header');
  if (!header) return;
  const page = document.body.dataset.page;
  const user = session.user();
  const link = (href, text, name) => h('a', { href, 'aria-current': page === name ? 'page' : null }, text);
  const nav = h('nav', { class: 'site-nav', id: 'site-nav', 'aria-label': 'Main' },
    link('/', 'Gallery', 'gallery'),
    link('/upload', 'Upload', 'upload'),
    user ? link('/my', 'My videos', 'mine') : null,
    user && user.roles.includes('ADMIN') ? link('/admin', 'Admin', 'admin') : null,
    h('span', { class: 'spacer' }),
    ...(user
      ? [link('/account', `Account (${user.username})`, 'account'),
        h('button', { type: 'button', class: 'link', id: 'logout', onclick: logOut }, 'Log out')]
      : [link('/login', 'Log in', 'login'), link('/signup', 'Sign up', 'signup')]));
  const toggle = h('button', {
    type: 'button', class: 'btn secondary small nav-toggle', 'aria-expanded': 'false', 'aria-controls': 'site-nav',
    onclick: () => {
      const open = nav.classList.toggle('open');
      toggle.setAttribute('aria-expanded', String(open));
    },
  }, 'Menu');
  nav.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && nav.classList.contains('open')) {
      nav.classList.remove('open');
      toggle.setAttribute('aria-expanded', 'false');
      toggle.focus();
    }
  });
  const brand = h('a', { class: 'brand', href: '/', 'aria-label': 'VideoForge home' });
  brand.innerHTML = icons.logo + '<span>VideoForge</span>';
  header.replaceChildren(h('div', { class: 'bar' }, brand, toggle, nav));
}

/** Another tab logging in or out changes this one's header too. */
window.addEventListener('storage', (e) => {
  if (e.key === REFRESH || e.key === ACCESS || e.key === null) renderHeader();
});

/**
 * @param {number} ms
 * @param {AbortSignal} [signal] ends the wait early
 * @returns {Promise<void>}
 */
const sleep = (ms, signal) => new Promise((resolve) => {
  const t = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
});

/**
 * Follows a video's live status (`GET /api/gallery/videos/{id}/events`, Server-Sent Events) with
 * fetch, because EventSource cannot send the Bearer token a PRIVATE video needs. Calls
 * onEvent(name, data) for `status`, `progress` and `deleted`; reconnects until the video is
 * READY, FAILED or gone, or the signal aborts. Resolves when it stops.
 * @param {string} videoId
 * @param {(...event: VideoEvent) => void} onEvent
 * @param {AbortSignal} [signal]
 * @returns {Promise<void>}
 */
export async function followVideo(videoId, onEvent, signal) {
  let delay = 1000;
  /** @param {string | null} token */
  const open = (token) => fetch(`/api/gallery/videos/${encodeURIComponent(videoId)}/events`, {
    headers: token ? { Authorization: 'Bearer ' + token, Accept: 'text/event-stream' } : { Accept: 'text/event-stream' },
    signal, cache: 'no-store',
  });
  while (!signal?.aborted) {
    let finished = false;
    try {
      let token = await accessToken().catch(() => null);
      let res = await open(token);
      if (res.status === 401 && token) {
        token = await accessToken({ force: true }).catch(() => null);
        res = await open(token);
      }
      if (res.status === 404) {
        onEvent('deleted', { id: videoId });
        return;
      }
      if (!res.ok || !res.body) throw await toApiError(res);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer = (buffer + value).replace(/\r\n/g, '\n');
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = parseEvent(block);
          if (!event) continue;
          // The server's events are those VideoEvent names.
          onEvent(/** @type {VideoEvent[0]} */ (event.name), event.data);
          const status = event.data && event.data.status;
          if (event.name === 'deleted' || status === STATUS.READY || status === STATUS.FAILED) finished = true;
        }
      }
      if (finished) return;
      delay = 1000;
    } catch (e) {
      if (signal?.aborted) return;
    }
    await sleep(delay, signal);
    delay = Math.min(delay * 2, 15_000);
  }
}

/**
 * One event of a Server-Sent Events stream: its name (`message` when unnamed) and its data as
 * JSON (as text when it is not JSON); null for a comment.
 * @param {string} block
 * @returns {{name: string, data: any} | null}
 */
function parseEvent(block) {
  let name = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (!line || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') name = value;
    else if (field === 'data') data.push(value);
  }
  if (!data.length) return null;
  const text = data.join('\n');
  try {
    return { name, data: JSON.parse(text) };
  } catch {
    return { name, data: text };
  }
}

// Formatting

/** @param {number | null | undefined} seconds */
export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '';
  const s = Math.max(0, Math.round(seconds));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/** @param {number} bytes */
export function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let n = bytes;
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n < 10 && i ? n.toFixed(1) : Math.round(n)} ${units[i]}`;
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** @param {string | null | undefined} iso */
export function timeAgo(iso) {
  if (!iso) return '';
  const seconds = (new Date(iso).getTime() - Date.now()) / 1000;
  /** @type {[number, Intl.RelativeTimeFormatUnit][]} */
  const steps = [[60, 'second'], [3600, 'minute'], [86400, 'hour'], [604800, 'day'], [2629800, 'week'], [31557600, 'month'], [Infinity, 'year']];
  const sizes = { second: 1, minute: 60, hour: 3600, day: 86400, week: 604800, month: 2629800, year: 31557600 };
  for (const [limit, unit] of steps) {
    if (Math.abs(seconds) < limit) return relative.format(Math.round(seconds / sizes[unit]), unit);
  }
  return '';
}

/** @param {string | null | undefined} iso */
export function formatDate(iso) {
  return iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '';
}

/**
 * The statuses of a video (API.md), to compare with: `v.status === STATUS.READY`.
 * @type {Readonly<{[S in VideoStatus]: S}>}
 */
export const STATUS = Object.freeze({
  UPLOADING: 'UPLOADING', QUEUED: 'QUEUED', PROCESSING: 'PROCESSING', READY: 'READY', FAILED: 'FAILED',
});

/**
 * Who may watch a video (API.md): `v.visibility === VISIBILITY.PRIVATE`.
 * @type {Readonly<{[V in Visibility]: V}>}
 */
export const VISIBILITY = Object.freeze({ PUBLIC: 'PUBLIC', UNLISTED: 'UNLISTED', PRIVATE: 'PRIVATE' });

/** @type {Record<VideoStatus, string>} */
export const STATUS_LABEL = {
  UPLOADING: 'Uploading', QUEUED: 'Queued', PROCESSING: 'Processing', READY: 'Ready', FAILED: 'Failed',
};

/** @type {Record<Visibility, string>} */
export const VISIBILITY_LABEL = { PUBLIC: 'Public', UNLISTED: 'Unlisted', PRIVATE: 'Private' };

/** @param {VideoStatus} status */
export function statusBadge(status) {
  return h('span', { class: 'badge status ' + status, dataset: { status } }, STATUS_LABEL[status] || status);
}

/**
 * The thumbnail block of a video card: picture, or a placeholder while it is not READY / audio-only.
 * @param {Video} video
 */
export function thumbnail(video) {
  const box = h('div', { class: 'thumb' });
  if (video.thumbnailUrl) {
    box.append(h('img', { src: video.thumbnailUrl, alt: '', loading: 'lazy', decoding: 'async' }));
  } else {
    const text = video.status === STATUS.READY ? 'Audio' : (STATUS_LABEL[video.status] || video.status);
    const ph = h('div', { class: 'placeholder' }, text);
    ph.prepend(icon('film'));
    box.append(ph);
  }
  if (video.durationSeconds) box.append(h('span', { class: 'duration' }, formatDuration(video.durationSeconds)));
  return box;
}

/** The footer every page shares, in its `<footer id="site-footer">` (the embed page hides it). */
function renderFooter() {
  const footer = document.getElementById('site-footer');
  if (footer) footer.replaceChildren('VideoForge · self-hosted video');
}

renderHeader();
renderFooter();
