// @ts-check
// Account: who is signed in, two-factor set-up (QR code, confirm a code, recovery codes shown
// once) and password change.
import { $, api, session, requireLogin, loginAgain, showAlert, clearAlert, errorText, h } from '/app.js';

/** @typedef {import('/api-types.js').Me} Me */
/** @typedef {import('/api-types.js').MfaSetup} MfaSetup */
/** @typedef {import('/api-types.js').MfaEnabled} MfaEnabled */
/** @typedef {import('/api-types.js').RecoveryCodes} RecoveryCodes */

const errorBox = $('account-error');
const mfaError = $('mfa-error');
/** @type {Me} */
let me = null;

/** @param {boolean} enabled */
function setMfaState(enabled) {
  const badge = $('mfa-status');
  badge.textContent = enabled ? 'On' : 'Off';
  badge.className = 'badge ' + (enabled ? 'on' : '');
  badge.dataset.enabled = String(enabled);
}

/** @param {'mfa-off' | 'mfa-setup' | 'recovery' | 'mfa-on'} name */
function showPanel(name) {
  for (const id of ['mfa-off', 'mfa-setup', 'recovery', 'mfa-on']) $(id).hidden = id !== name;
}

async function load() {
  try {
    me = await api('/api/auth/me', { auth: 'required' });
  } catch (err) {
    if (err.status === 401) {
      loginAgain();
      return;
    }
    showAlert(errorBox, errorText(err));
    return;
  }
  $('account-username').textContent = me.username;
  $('password-form-username', HTMLInputElement).value = me.username;
  $('mfa-setup-username', HTMLInputElement).value = me.username;
  $('mfa-manage-username', HTMLInputElement).value = me.username;
  $('account-roles').textContent = me.roles.map((r) => r.charAt(0) + r.slice(1).toLowerCase()).join(', ');
  setMfaState(me.mfaEnabled);
  showPanel(me.mfaEnabled ? 'mfa-on' : 'mfa-off');
  if (new URLSearchParams(location.search).get('welcome')) {
    showAlert($('welcome'), `Welcome to VideoForge, ${me.username}! Your account is ready. `
      + (me.mfaEnabled ? '' : 'Protect it with two-factor authentication below.'), 'success');
  }
}

/**
 * The Base32 secret in groups of four, as authenticator apps show it.
 * @param {string} secret
 */
const grouped = (secret) => secret.replace(/(.{4})/g, '$1 ').trim();

$('mfa-setup-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  clearAlert(mfaError);
  const password = $('mfa-setup-password', HTMLInputElement);
  if (!password.value) {
    showAlert(mfaError, 'Enter your password.');
    password.focus();
    return;
  }
  const button = $('mfa-setup-start', HTMLButtonElement);
  button.disabled = true;
  try {
    // The password too: a stolen session alone must not bind someone else's authenticator.
    /** @type {MfaSetup} */
    const setup = await api('/api/auth/mfa/setup', { method: 'POST', body: { password: password.value } });
    password.value = '';
    $('mfa-qr', HTMLImageElement).src = setup.qrCodePng;
    const secret = $('mfa-secret');
    secret.textContent = grouped(setup.secret);
    secret.dataset.secret = setup.secret;
    $('mfa-uri', HTMLAnchorElement).href = setup.otpauthUri;
    showPanel('mfa-setup');
    $('mfa-enable-code', HTMLInputElement).value = '';
    $('mfa-enable-code').focus();
  } catch (err) {
    showAlert(mfaError, errorText(err));
    password.select();
  } finally {
    button.disabled = false;
  }
});

$('mfa-cancel').addEventListener('click', () => {
  clearAlert(mfaError);
  showPanel('mfa-off');
  $('mfa-setup-password').focus();
});

$('mfa-enable-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  clearAlert(mfaError);
  const input = $('mfa-enable-code', HTMLInputElement);
  const code = input.value.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(code)) {
    showAlert(mfaError, 'Enter the 6 digits your authenticator app shows.');
    input.focus();
    return;
  }
  const button = $('mfa-enable-submit', HTMLButtonElement);
  button.disabled = true;
  try {
    /** @type {MfaEnabled} */
    const enabled = await api('/api/auth/mfa/enable', { method: 'POST', body: { code } });
    // Turning MFA on ends every session opened with the password alone, this one's too; the
    // answer carries this browser's new session (shared with its other tabs).
    if (enabled.accessToken) session.save(enabled);
    const { recoveryCodes } = enabled;
    showRecoveryCodes(recoveryCodes, 'Your other sessions were signed out; from now on, logging in asks for a code.');
    setMfaState(true);
    $('recovery-done').focus();
  } catch (err) {
    showAlert(mfaError, errorText(err));
    input.select();
  } finally {
    button.disabled = false;
  }
});

/**
 * @param {string[]} codes
 * @param {string} note
 */
function showRecoveryCodes(codes, note) {
  $('recovery-codes').replaceChildren(...codes.map((c) => h('li', { class: 'recovery-code' }, c)));
  $('recovery-note').textContent = note;
  showPanel('recovery');
  $('recovery-done').focus();
}

/** The password and code of the "manage" form, or null (with the reason shown). */
function proof() {
  clearAlert(mfaError);
  const password = $('mfa-manage-password', HTMLInputElement);
  const code = $('mfa-manage-code', HTMLInputElement);
  if (!password.value) {
    showAlert(mfaError, 'Enter your password.');
    password.focus();
    return null;
  }
  if (!code.value.trim()) {
    showAlert(mfaError, 'Enter the code your authenticator app shows, or a recovery code.');
    code.focus();
    return null;
  }
  return { password: password.value, code: code.value.replace(/\s+/g, '') };
}

function clearProof() {
  $('mfa-manage-password', HTMLInputElement).value = '';
  $('mfa-manage-code', HTMLInputElement).value = '';
}

$('mfa-new-codes').addEventListener('click', async (e) => {
  const body = proof();
  if (!body) return;
  const button = /** @type {HTMLButtonElement} */ (e.target);
  button.disabled = true;
  try {
    /** @type {RecoveryCodes} */
    const { recoveryCodes } = await api('/api/auth/mfa/recovery-codes', { method: 'POST', body });
    clearProof();
    showRecoveryCodes(recoveryCodes, 'New recovery codes: the old ones no longer work.');
  } catch (err) {
    showAlert(mfaError, errorText(err));
  } finally {
    button.disabled = false;
  }
});

$('mfa-disable').addEventListener('click', async (e) => {
  const body = proof();
  if (!body) return;
  const button = /** @type {HTMLButtonElement} */ (e.target);
  button.disabled = true;
  try {
    await api('/api/auth/mfa/disable', { method: 'POST', body });
    clearProof();
    setMfaState(false);
    showPanel('mfa-off');
    showAlert($('welcome'), 'Two-factor authentication is off; your other sessions were signed out.', 'success');
  } catch (err) {
    showAlert(mfaError, errorText(err));
  } finally {
    button.disabled = false;
  }
});

const codesText = () => Array.from(document.querySelectorAll('#recovery-codes li'), (li) => li.textContent).join('\n');

$('copy-codes').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText(codesText());
    $('copy-status').textContent = 'Copied.';
  } catch {
    $('copy-status').textContent = 'Copying is blocked here; select the codes and copy them by hand.';
  }
});

$('download-codes').addEventListener('click', () => {
  const text = `VideoForge recovery codes for ${me?.username} (${location.host})\nEach code works once.\n\n${codesText()}\n`;
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  const a = h('a', { href: url, download: `videoforge-recovery-codes-${me?.username}.txt` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
});

$('recovery-done').addEventListener('click', () => {
  // The codes leave the page: they are not shown again.
  $('recovery-codes').replaceChildren();
  showPanel('mfa-on');
});

$('password-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const box = $('password-error');
  clearAlert(box);
  const current = $('current-password', HTMLInputElement);
  const next = $('new-password', HTMLInputElement);
  const again = $('new-password-confirm', HTMLInputElement);
  if (!current.value) return showAlert(box, 'Enter your current password.');
  if (next.value.length < 8) return showAlert(box, 'The new password needs at least 8 characters.');
  if (next.value !== again.value) return showAlert(box, 'The two new passwords are not the same.');
  $('password-submit', HTMLButtonElement).disabled = true;
  try {
    await api('/api/auth/password', { method: 'POST', body: { currentPassword: current.value, newPassword: next.value } });
    session.clear();
    location.assign('/login?reason=password-changed');
  } catch (err) {
    showAlert(box, errorText(err));
  } finally {
    $('password-submit', HTMLButtonElement).disabled = false;
  }
});

if (requireLogin()) load();
