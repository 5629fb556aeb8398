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
      const response = await fetch('/api/images', { method: 'POST', body: form });
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
      const response = await fetch('/api/images/' + encodeURIComponent(id));
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
      result.src = '/api/images/' + encodeURIComponent(id) + '/result';
      return;
    }
    if (status.status === 'failed') {
      return show(job, 'failed', status.error);
    }
    show(job, status.status, faces);
    setTimeout(() => poll(job, id), 1000);
  }
})();
