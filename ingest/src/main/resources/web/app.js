// Uploads each chosen photo as its own request (one bad file never stops the others), then polls
// its status every second until it is done or failed.
(function () {
  'use strict';

  const drop = document.getElementById('drop');
  const input = document.getElementById('files');
  const jobs = document.getElementById('jobs');
  const template = document.getElementById('job');

  input.addEventListener('change', () => {
    Array.from(input.files).forEach(upload);
    input.value = '';
  });
  ['dragenter', 'dragover'].forEach(type => drop.addEventListener(type, event => {
    event.preventDefault();
    drop.classList.add('over');
  }));
  ['dragleave', 'drop'].forEach(type => drop.addEventListener(type, event => {
    event.preventDefault();
    drop.classList.remove('over');
  }));
  drop.addEventListener('drop', event => Array.from(event.dataTransfer.files).forEach(upload));

  // When the service requires API tokens, the first 401 asks for one; it is kept in this
  // browser's localStorage and sent as a bearer token on every API call.
  const TOKEN_KEY = 'animegan.apiToken';
  let asking = null;
  let declined = false;

  async function api(url, init) {
    const response = await fetch(url, withToken(init));
    if (response.status !== 401 || declined) return response;
    if (!asking) {
      asking = Promise.resolve(window.prompt('This service needs an API token:', '')).then(token => {
        if (token) localStorage.setItem(TOKEN_KEY, token.trim()); else localStorage.removeItem(TOKEN_KEY);
        declined = !token; // asked once; a reload asks again
        asking = null;
      });
    }
    await asking;
    return localStorage.getItem(TOKEN_KEY) ? fetch(url, withToken(init)) : response;
  }

  function withToken(init) {
    const token = localStorage.getItem(TOKEN_KEY);
    const headers = new Headers((init && init.headers) || {});
    if (token) headers.set('Authorization', 'Bearer ' + token);
    return Object.assign({}, init, { headers });
  }

  function options(form) {
    form.append('faces', document.getElementById('faces').checked);
    form.append('maxSide', document.getElementById('maxSide').value);
    form.append('format', document.getElementById('format').value);
    form.append('debug', document.getElementById('debug').checked);
  }

  async function upload(file) {
    const job = addJob(file);
    const form = new FormData();
    form.append('file', file, file.name);
    options(form);
    try {
      const response = await api('/api/images', { method: 'POST', body: form });
      const body = await response.json().catch(() => ({}));
      if (response.status !== 202) {
        return show(job, 'failed', body.error || ('upload refused (' + response.status + ')'));
      }
      poll(job, body.images[0].id);
    } catch (e) {
      show(job, 'failed', 'upload failed: ' + e.message);
    }
  }

  function addJob(file) {
    const node = template.content.firstElementChild.cloneNode(true);
    node.querySelector('.name').textContent = file.name;
    const original = node.querySelector('.original');
    original.onerror = () => { original.hidden = true; };
    original.src = URL.createObjectURL(file);
    jobs.prepend(node);
    return node;
  }

  function show(job, state, detail) {
    const badge = job.querySelector('.state');
    badge.textContent = state;
    badge.className = 'state ' + state;
    const text = job.querySelector('.detail');
    text.textContent = detail || '';
    text.classList.toggle('error', state === 'failed');
    if (state === 'failed') {
      const pending = job.querySelector('.pending');
      if (pending) pending.remove();
      if (job.querySelector('.original').hidden) job.querySelector('.pictures').remove();
    }
  }

  async function poll(job, id) {
    let status;
    try {
      const response = await api('/api/images/' + encodeURIComponent(id));
      status = response.ok ? await response.json() : { status: 'queued' };
    } catch (e) {
      status = { status: 'queued' };
    }
    const faces = status.faces == null ? '' : status.faces + (status.faces === 1 ? ' face' : ' faces');
    if (status.status === 'done') {
      const total = status.timings && status.timings.total;
      show(job, 'done', [faces, status.width + '×' + status.height, total ? (total / 1000).toFixed(1) + ' s' : '']
          .filter(Boolean).join(' · '));
      const result = job.querySelector('.result');
      result.onload = () => { result.hidden = false; result.parentElement.classList.remove('pending'); };
      // Fetched, not linked, so the token goes along; shown from a blob: URL.
      const bytes = await api('/api/images/' + encodeURIComponent(id) + '/result');
      if (!bytes.ok) return show(job, 'failed', 'result unavailable (' + bytes.status + ')');
      result.src = URL.createObjectURL(await bytes.blob());
      return;
    }
    if (status.status === 'failed') {
      return show(job, 'failed', status.error);
    }
    show(job, status.status, faces);
    setTimeout(() => poll(job, id), 1000);
  }
})();
