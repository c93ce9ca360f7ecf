// Sign up: creates the account, logs it in and offers two-factor authentication next.
import { api, session, showAlert, clearAlert, errorText } from '/app.js';

const form = document.getElementById('signup-form');
const errorBox = document.getElementById('signup-error');
const username = document.getElementById('username');
const password = document.getElementById('password');
const confirm = document.getElementById('password-confirm');
const setupToken = document.getElementById('setup-token');

// A fresh install asks for its one-time setup token: whoever registers with it is the administrator.
api('/api/auth/setup', { auth: false })
  .then((status) => { document.getElementById('setup-token-field').hidden = !status.adminSetupPending; })
  .catch(() => {});

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
  for (const el of form.elements) el.disabled = true;
  try {
    const body = { username: name, password: password.value };
    if (setupToken.value.trim()) body.setupToken = setupToken.value.trim();
    await api('/api/auth/register', { method: 'POST', auth: false, body });
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
    for (const el of form.elements) el.disabled = false;
  }
});

username.focus();
