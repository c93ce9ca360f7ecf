// @ts-check
// Webhooks: add an endpoint (its secret shown once), list and delete endpoints, and each one's
// delivery log with a Redeliver button. No inline script or style (the pages' CSP).
import { $, api, requireLogin, loginAgain, showAlert, clearAlert, errorText, h, formatDate, timeAgo } from '/app.js';

/** @typedef {import('/api-types.js').WebhookEndpoint} WebhookEndpoint */
/** @typedef {import('/api-types.js').CreatedWebhookEndpoint} CreatedWebhookEndpoint */
/** @typedef {import('/api-types.js').WebhookDelivery} WebhookDelivery */
/** @typedef {import('/api-types.js').WebhookEventType} WebhookEventType */

/** @type {WebhookEventType[]} */
const EVENTS = ['video.uploaded', 'video.playable', 'video.ready', 'video.failed', 'video.deleted'];
const pageError = $('webhooks-error');

for (const event of EVENTS) {
  $('event-choices').append(h('label', { class: 'row' },
    h('input', { type: 'checkbox', name: 'events', value: event, checked: true }), ' ', h('code', {}, event)));
}

function fail(err) {
  if (err.status === 401) loginAgain();
  else showAlert(pageError, errorText(err));
}

/**
 * @param {WebhookEndpoint} endpoint
 * @param {WebhookDelivery} d
 */
function deliveryRow(endpoint, d) {
  const redeliver = h('button', {
    type: 'button', class: 'btn small secondary', 'data-delivery-id': d.id,
    onclick: async (e) => {
      const button = /** @type {HTMLButtonElement} */ (e.target);
      button.disabled = true;
      try {
        await api(`/api/webhooks/${encodeURIComponent(endpoint.id)}/deliveries/${encodeURIComponent(d.id)}/retry`, { method: 'POST' });
        setTimeout(() => showDeliveries(endpoint), 1500);
      } catch (err) {
        fail(err);
      } finally {
        button.disabled = false;
      }
    },
  }, 'Redeliver');
  const head = ['Event', 'Video', 'Status', 'Attempts', 'Last answer', 'Next attempt', ''];
  const cells = [
    h('td', {}, h('code', {}, d.event)),
    h('td', {}, h('a', { href: '/watch/' + encodeURIComponent(d.videoId), class: 'mono' }, d.videoId)),
    h('td', {}, h('span', { class: 'badge ' + (d.status === 'DELIVERED' ? 'on' : d.status === 'FAILED' ? 'FAILED' : 'QUEUED') }, d.status)),
    h('td', {}, String(d.attempts)),
    h('td', { class: 'err', title: d.lastError || '' }, d.lastStatusCode ? String(d.lastStatusCode) : (d.lastError ? 'no answer' : '')),
    h('td', { title: d.nextAttemptAt ? formatDate(d.nextAttemptAt) : '' }, d.nextAttemptAt ? formatDate(d.nextAttemptAt) : ''),
    h('td', {}, redeliver),
  ];
  cells.forEach((cell, i) => { cell.dataset.label = head[i]; });
  return h('tr', { dataset: { deliveryId: d.id, status: d.status } }, ...cells);
}

/** @param {WebhookEndpoint} endpoint */
async function showDeliveries(endpoint) {
  const box = document.querySelector(`[data-deliveries-of="${endpoint.id}"]`);
  if (!box) return;
  try {
    /** @type {WebhookDelivery[]} */
    const deliveries = await api(`/api/webhooks/${encodeURIComponent(endpoint.id)}/deliveries`, { auth: 'required' });
    if (!deliveries.length) {
      box.replaceChildren(h('p', { class: 'muted small' }, 'No deliveries yet.'));
      return;
    }
    const head = ['Event', 'Video', 'Status', 'Attempts', 'Last answer', 'Next attempt', ''];
    box.replaceChildren(h('div', { class: 'table-wrap' }, h('table', { class: 'deliveries' },
      h('thead', {}, h('tr', {}, ...head.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, ...deliveries.map((d) => deliveryRow(endpoint, d))))));
  } catch (err) {
    fail(err);
  }
}

/** @param {WebhookEndpoint} endpoint */
function endpointCard(endpoint) {
  const card = h('div', { class: 'card endpoint', dataset: { endpointId: endpoint.id } },
    h('h3', { class: 'mono' }, endpoint.url),
    h('p', { class: 'small muted' }, 'Events: ', endpoint.events.join(', '), ' · added ', timeAgo(endpoint.createdAt)),
    h('div', { class: 'row' },
      h('button', { type: 'button', class: 'btn small secondary', onclick: () => showDeliveries(endpoint) }, 'Refresh log'),
      h('button', {
        type: 'button', class: 'btn small danger',
        onclick: async () => {
          if (!confirm(`Delete the endpoint ${endpoint.url} and its delivery log?`)) return;
          try {
            await api(`/api/webhooks/${encodeURIComponent(endpoint.id)}`, { method: 'DELETE' });
            await load();
          } catch (err) {
            fail(err);
          }
        },
      }, 'Delete')),
    h('div', { dataset: { deliveriesOf: endpoint.id } }));
  return card;
}

async function load() {
  clearAlert(pageError);
  try {
    /** @type {WebhookEndpoint[]} */
    const endpoints = await api('/api/webhooks', { auth: 'required' });
    $('no-endpoints').hidden = endpoints.length > 0;
    $('endpoints').replaceChildren(...endpoints.map(endpointCard));
    endpoints.forEach(showDeliveries);
  } catch (err) {
    fail(err);
  }
}

$('add-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const box = $('add-error');
  clearAlert(box);
  const url = $('endpoint-url', HTMLInputElement).value.trim();
  const events = [...document.querySelectorAll('input[name="events"]:checked')].map((/** @type {HTMLInputElement} */ i) => i.value);
  if (!url) return showAlert(box, 'Enter the URL of your endpoint.');
  if (!events.length) return showAlert(box, 'Choose at least one event.');
  $('add-submit', HTMLButtonElement).disabled = true;
  try {
    /** @type {CreatedWebhookEndpoint} */
    const created = await api('/api/webhooks', { method: 'POST', body: { url, events } });
    $('secret-value').textContent = created.secret;
    $('new-secret').hidden = false;
    $('endpoint-url', HTMLInputElement).value = '';
    await load();
  } catch (err) {
    showAlert(box, errorText(err));
  } finally {
    $('add-submit', HTMLButtonElement).disabled = false;
  }
});

$('copy-secret').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText($('secret-value').textContent);
    $('copy-status').textContent = 'Copied.';
  } catch {
    $('copy-status').textContent = 'Copying is blocked here; select the secret and copy it by hand.';
  }
});

$('secret-done').addEventListener('click', () => {
  // The secret leaves the page: it is not shown again.
  $('secret-value').textContent = '';
  $('copy-status').textContent = '';
  $('new-secret').hidden = true;
});

if (requireLogin()) load();
