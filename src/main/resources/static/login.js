// @ts-check
// Log in: username and password, then the MFA code when the account has MFA on.
import { $, api, session, showAlert, clearAlert, nextPath, errorText } from '/app.js';

/** @typedef {import('/api-types.js').Tokens} Tokens */
/** @typedef {import('/api-types.js').LoginAnswer} LoginAnswer */

const loginStep = $('login-step');
const mfaStep = $('mfa-step');
const loginForm = $('login-form', HTMLFormElement);
const mfaForm = $('mfa-form', HTMLFormElement);
const loginError = $('login-error');
const mfaError = $('mfa-error');
const notice = $('login-notice');
const username = $('username', HTMLInputElement);
const password = $('password', HTMLInputElement);
const code = $('mfa-code', HTMLInputElement);
/** @type {string | null} */
let mfaToken = null;

const reason = new URLSearchParams(location.search).get('reason');
if (reason === 'password-changed') showAlert(notice, 'Your password was changed. Log in with the new one.', 'info');
else if (reason === 'expired') showAlert(notice, 'Your session ended. Please log in again.', 'info');
if (session.signedIn && !reason) showAlert(notice, `You are logged in as ${session.user()?.username}. Logging in again switches account.`, 'info');

/**
 * @param {HTMLFormElement} form
 * @param {boolean} on
 */
function busy(form, on) {
  for (const el of /** @type {Iterable<HTMLButtonElement | HTMLInputElement>} */ (form.elements)) el.disabled = on;
  form.setAttribute('aria-busy', String(on));
}

/** @param {Tokens} tokens */
function done(tokens) {
  session.save(tokens);
  location.assign(nextPath('/'));
}

loginForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  clearAlert(loginError);
  if (!username.value.trim() || !password.value) {
    showAlert(loginError, 'Enter your username and password.');
    (username.value.trim() ? password : username).focus();
    return;
  }
  busy(loginForm, true);
  try {
    /** @type {LoginAnswer} */
    const answer = await api('/api/auth/login', {
      method: 'POST', auth: false, body: { username: username.value.trim(), password: password.value },
    });
    if (answer.mfaRequired) {
      mfaToken = answer.mfaToken;
      loginStep.hidden = true;
      mfaStep.hidden = false;
      code.value = '';
      code.focus();
    } else {
      // Without strictNullChecks the checker does not narrow this branch to the tokens.
      done(/** @type {Tokens} */ (answer));
    }
  } catch (err) {
    showAlert(loginError, errorText(err));
    password.select();
  } finally {
    busy(loginForm, false);
  }
});

mfaForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  clearAlert(mfaError);
  const value = code.value.replace(/\s+/g, '');
  if (!value) {
    showAlert(mfaError, 'Enter the code from your authenticator app.');
    code.focus();
    return;
  }
  busy(mfaForm, true);
  try {
    done(await api('/api/auth/mfa/verify', { method: 'POST', auth: false, body: { mfaToken, code: value } }));
  } catch (err) {
    if (err.code === 'invalid_token') {
      // The MFA step lasts 5 minutes; after that the password is needed again.
      backToLogin();
      showAlert(loginError, errorText(err));
    } else {
      showAlert(mfaError, errorText(err));
      code.select();
    }
  } finally {
    busy(mfaForm, false);
  }
});

function backToLogin() {
  mfaToken = null;
  mfaStep.hidden = true;
  loginStep.hidden = false;
  password.value = '';
  password.focus();
}

$('mfa-back').addEventListener('click', () => {
  clearAlert(mfaError);
  backToLogin();
});

username.focus();
