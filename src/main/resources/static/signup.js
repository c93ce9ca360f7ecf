// @ts-check
// Sign up: creates the account, logs it in and offers two-factor authentication next.
import { $, api, session, showAlert, clearAlert, errorText } from '/app.js';

/** @typedef {import('/api-types.js').SetupStatus} SetupStatus */
/** @typedef {import('/api-types.js').Tokens} Tokens */

const form = $('signup-form', HTMLFormElement);
const errorBox = $('signup-error');
const username = $('username', HTMLInputElement);
const password = $('password', HTMLInputElement);
const confirm = $('password-confirm', HTMLInputElement);
const setupToken = $('setup-token', HTMLInputElement);

// A fresh install asks for its one-time setup token: whoever registers with it is the administrator.
api('/api/auth/setup', { auth: false })
  .then((/** @type {SetupStatus} */ status) => { $('setup-token-field').hidden = !status.adminSetupPending; })
  .catch(() => {});

/**
 * @param {HTMLInputElement} input
 * @param {string} message
 */
function invalid(input, message) {
  input.setAttribute('aria-invalid', 'true');
  showAlert(errorBox, message);
  input.focus();
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  clearAlert(errorBox);
  for (const input of [username, password, confirm]) input.removeAttribute('aria-invalid');
  const name = username.value.trim();
  if (!/^[A-Za-z0-9._-]{3,32}$/.test(name)) return invalid(username, 'A username is 3 to 32 letters, digits, dots, dashes or underscores.');
  if (password.value.length < 8) return invalid(password, 'A password needs at least 8 characters.');
  if (password.value !== confirm.value) return invalid(confirm, 'The two passwords are not the same.');
  for (const el of /** @type {Iterable<HTMLButtonElement | HTMLInputElement>} */ (form.elements)) el.disabled = true;
  try {
    /** @type {{username: string, password: string, setupToken?: string}} */
    const body = { username: name, password: password.value };
    if (setupToken.value.trim()) body.setupToken = setupToken.value.trim();
    await api('/api/auth/register', { method: 'POST', auth: false, body });
    /** @type {Tokens} */
    const tokens = await api('/api/auth/login', { method: 'POST', auth: false, body: { username: name, password: password.value } });
    session.save(tokens);
    location.assign('/account?welcome=1');
  } catch (err) {
    const field = err.code === 'username_taken' || err.code === 'invalid_username' ? username
      : err.code === 'weak_password' ? password : err.code === 'invalid_setup_token' ? setupToken : null;
    if (field) field.setAttribute('aria-invalid', 'true');
    showAlert(errorBox, errorText(err));
    (field || username).focus();
  } finally {
    for (const el of /** @type {Iterable<HTMLButtonElement | HTMLInputElement>} */ (form.elements)) el.disabled = false;
  }
});

username.focus();
