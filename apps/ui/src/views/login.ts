import { ApiError, api } from '../api.js';
import { h, mount } from '../dom.js';

/** The login form: the token goes once, in a POST body, and comes back as an HttpOnly cookie. */
export function renderLogin(root: HTMLElement, done: () => void): void {
  const input = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'login', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, 'Log in to orc'),
    h(
      'p',
      {},
      'The daemon token (ORC_TOKEN or the --token-file) opens a session of 8 hours in this browser.',
    ),
    h('label', { for: 'token' }, 'Token'),
    input,
    h('button', { type: 'submit' }, 'Log in'),
    error,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    error.textContent = '';
    api.login(input.value).then(
      () => {
        input.value = '';
        done();
      },
      (err: unknown) => {
        error.textContent = err instanceof ApiError && err.status === 401 ? 'Wrong token.' : String(err);
        input.select();
      },
    );
  });
  mount(root, form);
  input.focus();
}
