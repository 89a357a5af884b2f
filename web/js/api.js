// api.js: the UI's only way to the server, a client of /api/v1 like any other. The session cookie goes
// along by itself; writes carry the CSRF token the sign-in gave. A 401 on any call sends the user back to
// the sign-in page.

let csrf = null;

export class ApiError extends Error {
  constructor(status, error) {
    super(error && error.message ? error.message : `HTTP ${status}`);
    this.status = status;
    this.code = error && error.code;
    this.where = error && error.where;
  }
}

export function setCsrf(token) {
  csrf = token || null;
}

export async function api(method, path, body, opts = {}) {
  const headers = {Accept: 'application/json'};
  const init = {method, headers, credentials: 'same-origin', signal: opts.signal};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
  const res = await fetch('/api/v1' + path, init);
  let data = null;
  try {
    data = await res.json();
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    data = null;
  }
  if (!res.ok) {
    const err = new ApiError(res.status, data && data.error);
    if (res.status === 401 && path !== '/session') window.dispatchEvent(new CustomEvent('bb:signedout'));
    throw err;
  }
  return data;
}

// A query string from an object, leaving out empty values.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? '?' + s : '';
}
