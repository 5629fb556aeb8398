// The animegan page: photos and videos in (drop, pick, paste, camera, examples), one upload request
// per file so a bad one never stops the others, live progress (one server-sent event stream for all
// pictures in flight, a status poll per video), and the results: pictures with a before/after
// slider, downloads and a ZIP; videos with a preview, a player that switches to the original, and a
// download.
(function () {
  'use strict';

  const OPTIONS_KEY = 'animegan.options';
  const OLD_TOKEN_KEY = 'animegan.token';
  const SESSION_KEY = 'animegan.session';
  const PARALLEL_UPLOADS = 2;
  const MAX_STREAM_IDS = 100;
  const STEPS = ['queued', 'faces', 'stylized', 'done'];
  const BADGES = { uploading: 'Uploading', queued: 'Queued', faces: 'Faces found', stylized: 'Stylized',
    processing: 'Drawing', done: 'Done', failed: 'Failed' };
  const VIDEO_POLL_MS = 1000;
  const SIZES = { 720: 1280, 1080: 1920, 1440: 2560 };
  /** Fast HD: the generator draws at this longest side, the service adds the photo's detail. */
  const FAST_HD_STYLE_SIDE = 768;
  // Region strengths and their defaults (README, "Faces"): [field, label, max].
  const REGIONS = [['skin', 'Skin', 1], ['eyes', 'Eyes', 1], ['brows', 'Brows', 1], ['lips', 'Lips', 1],
    ['hair', 'Hair', 1], ['glasses', 'Glasses', 1], ['sharpen', 'Sharpen', 2]];
  const DEFAULTS = { style: null, size: '1080', faces: true, fastHd: false, format: 'png', clone: 'normal',
    skin: 0.75, eyes: 0.5, brows: 0.7, lips: 0.6, hair: 1, glasses: 0.4, sharpen: 1,
    temporal: true, videoFaces: false, fps: '' };
  const PLAIN_ERRORS = {
    CORRUPT_IMAGE: 'This picture seems damaged or incomplete, so it could not be read.',
    UNSUPPORTED_FORMAT: 'This kind of file is not supported. Try a JPEG or PNG photo.',
    IMAGE_TOO_LARGE: 'This picture is too large to process.',
    SOURCE_MISSING: 'The uploaded photo went missing on the server. Please try again.',
    INVALID_OPTIONS: 'One of the chosen options was not accepted.',
    MODEL_ERROR: 'The anime model had a problem with this picture.',
    INTERNAL_ERROR: 'Something went wrong on the server.',
    UNSUPPORTED_VIDEO: 'This kind of file is not supported. Try an MP4, MOV, MKV or WebM clip.',
    VIDEO_TOO_LARGE: 'This video file is larger than the service accepts.',
    NOT_A_VIDEO: 'This file is not a video that can be read. Try an MP4, MOV, MKV or WebM clip.',
    CORRUPT_VIDEO: 'This video seems damaged or incomplete, so it could not be read.',
    NO_VIDEO_STREAM: 'This file has sound but no picture.',
    NO_FRAMES: 'This video has no frames.',
    TOO_LONG: 'This video is longer than the service accepts.',
    TOO_LARGE: 'This video is larger than the service accepts.'
  };
  const STAGE_WORDS = { face: 'looking for faces', stylize: 'drawing the anime picture', blend: 'putting the faces back' };

  const $ = (selector, root) => (root || document).querySelector(selector);
  const el = {
    files: $('#files'), camera: $('#camera'), notice: $('#notice'), examples: $('#examples'),
    exampleList: $('#example-list'), styles: $('#styles'), styleList: $('#style-list'), faces: $('#faces'), fastHd: $('#fast-hd'),
    sliders: $('#sliders'), clone: $('#clone'), format: $('#format'), reset: $('#reset'), sizeHint: $('#size-hint'),
    limitsHint: $('#limits-hint'), queue: $('#queue'), cards: $('#cards'), summary: $('#summary'), zip: $('#zip'),
    clear: $('#clear'), template: $('#card-template'), tokenDialog: $('#token-dialog'), tokenForm: $('#token-form'),
    tokenInput: $('#token-input'), tokenCancel: $('#token-cancel'), forgetToken: $('#forget-token'),
    videoSizeHint: $('#video-size-hint'), temporal: $('#temporal'), videoFaces: $('#video-faces'), fps: $('#fps'), videoTemplate: $('#video-card-template')
  };

  let limits = { maxUploadBytes: 25 * 1024 * 1024, maxFiles: 20, maxSide: 2560,
    types: ['image/jpeg', 'image/png', 'image/webp', 'image/bmp'],
    maxVideoBytes: null, maxVideoSide: 1280, videoTypes: ['video/mp4', 'video/quicktime', 'video/webm', 'video/x-matroska'] };
  let styles = null; // null: the server has no style list, so the picker stays hidden and no style is sent
  const options = loadOptions();
  const items = [];   // every card, in the order added
  const byId = new Map();
  const waiting = []; // items not uploaded yet
  let uploading = 0;

  // ---- Server calls: a bearer token when the server asks for one, patience on 429 ----

  let tokenPrompt = null;

  // The token lives in an HttpOnly cookie the server sets (POST /api/session) and clears
  // (DELETE /api/session): page scripts never keep it, and result images, downloads and the ZIP,
  // plain links that cannot send a header, carry it too. This flag only says a token was given
  // here, so the page offers to forget it.
  function signedIn(yes) {
    if (yes) localStorage.setItem(SESSION_KEY, '1'); else localStorage.removeItem(SESSION_KEY);
    el.forgetToken.hidden = !yes;
  }

  async function signIn(token) {
    const response = await fetch('/api/session', { method: 'POST', headers: { Authorization: 'Bearer ' + token } });
    signedIn(response.ok);
    return response.ok;
  }

  async function forgetToken() {
    await fetch('/api/session', { method: 'DELETE' });
    signedIn(false);
    showNotice(['The access token is forgotten on this browser.']);
  }

  // Pages before the cookie came from the server kept the token in localStorage: hand it over once.
  const oldToken = localStorage.getItem(OLD_TOKEN_KEY);
  localStorage.removeItem(OLD_TOKEN_KEY);
  if (oldToken) signIn(oldToken);
  signedIn(localStorage.getItem(SESSION_KEY) === '1');
  el.forgetToken.onclick = forgetToken;

  async function api(url, init, attempt) {
    init = init || {};
    attempt = attempt || 0;
    const response = await fetch(url, init);
    if (response.status === 401 && !init.askedForToken && await askForToken()) {
      return api(url, Object.assign({}, init, { askedForToken: true }), attempt);
    }
    if (response.status === 429 && attempt < 5) {
      const seconds = Number(response.headers.get('Retry-After')) || 2 * (attempt + 1);
      await new Promise(resolve => setTimeout(resolve, seconds * 1000));
      return api(url, init, attempt + 1);
    }
    return response;
  }

  function askForToken() {
    if (!tokenPrompt) {
      tokenPrompt = new Promise(resolve => {
        const done = value => {
          el.tokenDialog.close();
          tokenPrompt = null;
          resolve(value);
        };
        el.tokenForm.onsubmit = async event => {
          event.preventDefault();
          done(await signIn(el.tokenInput.value.trim()));
        };
        el.tokenCancel.onclick = () => done(false);
        el.tokenDialog.oncancel = () => done(false);
        el.tokenInput.value = '';
        el.tokenDialog.showModal();
      });
    }
    return tokenPrompt;
  }

  // ---- Options, remembered in localStorage ----

  function loadOptions() {
    try {
      return Object.assign({}, DEFAULTS, JSON.parse(localStorage.getItem(OPTIONS_KEY) || '{}'));
    } catch (e) {
      return Object.assign({}, DEFAULTS);
    }
  }

  function saveOptions() {
    localStorage.setItem(OPTIONS_KEY, JSON.stringify(options));
  }

  const regionInputs = {};

  function setUpOptions() {
    document.querySelectorAll('input[name=size]').forEach(radio => radio.addEventListener('change', () => {
      options.size = radio.value;
      saveOptions();
      showSizeHint();
    }));
    el.faces.addEventListener('change', () => { options.faces = el.faces.checked; saveOptions(); });
    el.fastHd.addEventListener('change', () => { options.fastHd = el.fastHd.checked; saveOptions(); });
    el.format.addEventListener('change', () => { options.format = el.format.value; saveOptions(); });
    el.clone.addEventListener('change', () => { options.clone = el.clone.value; saveOptions(); });
    el.temporal.addEventListener('change', () => { options.temporal = el.temporal.checked; saveOptions(); });
    el.videoFaces.addEventListener('change', () => { options.videoFaces = el.videoFaces.checked; saveOptions(); });
    el.fps.addEventListener('change', () => { options.fps = el.fps.value; saveOptions(); });

    REGIONS.forEach(([name, label, max]) => {
      const row = document.createElement('div');
      row.className = 'slider-row';
      const id = 'region-' + name;
      const caption = document.createElement('label');
      caption.htmlFor = id;
      caption.textContent = label;
      const input = document.createElement('input');
      Object.assign(input, { type: 'range', id, min: 0, max, step: 0.05 });
      const output = document.createElement('output');
      output.htmlFor = id;
      input.show = () => {
        output.textContent = Number(input.value).toFixed(2);
        input.setAttribute('aria-valuetext', output.textContent + (Number(input.value) === DEFAULTS[name] ? ' (default)' : ''));
      };
      input.addEventListener('input', () => { options[name] = Number(input.value); saveOptions(); input.show(); });
      regionInputs[name] = input;
      row.append(caption, input, output);
      el.sliders.append(row);
    });

    el.reset.addEventListener('click', () => {
      Object.assign(options, DEFAULTS, { style: options.style });
      saveOptions();
      showOptions();
    });
    showOptions();
  }

  function showOptions() {
    const size = document.querySelector('input[name=size][value="' + options.size + '"]')
      || document.querySelector('input[name=size][value="1080"]');
    size.checked = true;
    el.faces.checked = options.faces;
    el.fastHd.checked = options.fastHd;
    el.format.value = options.format;
    el.clone.value = options.clone;
    el.temporal.checked = options.temporal;
    el.videoFaces.checked = options.videoFaces;
    el.fps.value = options.fps;
    REGIONS.forEach(([name]) => {
      regionInputs[name].value = options[name];
      regionInputs[name].show();
    });
    showSizeHint();
  }

  function maxSide() {
    return options.size === 'original' ? limits.maxSide : (SIZES[options.size] || SIZES[1080]);
  }

  function showSizeHint() {
    el.sizeHint.textContent = options.size === 'original'
      ? 'Keeps the photo\'s own size, up to ' + limits.maxSide + ' px on the longest side.'
      : 'Longest side up to ' + maxSide() + ' px; smaller photos keep their size.';
  }

  function appendOptions(form) {
    if (styles && options.style) form.append('style', options.style);
    form.append('faces', String(options.faces));
    form.append('maxSide', String(maxSide()));
    if (options.fastHd) form.append('styleSide', String(FAST_HD_STYLE_SIDE));
    form.append('format', options.format);
    // Only what differs from the defaults, so plain uploads stay plain.
    REGIONS.forEach(([name]) => {
      if (options[name] !== DEFAULTS[name]) form.append(name, String(options[name]));
    });
    if (options.clone !== DEFAULTS.clone) form.append('clone', options.clone);
  }

  // A clip keeps the service's default size, which is also its largest (lower than a photo's).
  function appendVideoOptions(form) {
    if (styles && options.style) form.append('style', options.style);
    form.append('faces', String(options.videoFaces));
    form.append('temporal', options.temporal ? 'on' : 'off');
    if (options.fps) form.append('fps', options.fps);
  }

  // ---- What the server offers: limits, styles, examples ----

  async function loadLimits() {
    try {
      const response = await api('/api/limits');
      if (!response.ok) return;
      limits = Object.assign(limits, await response.json());
      el.limitsHint.textContent = 'Photos: JPEG, PNG, WebP or BMP · up to ' + megabytes(limits.maxUploadBytes)
        + ' each · ' + limits.maxFiles + ' at a time. Videos: MP4, MOV, MKV or WebM'
        + (limits.maxVideoBytes ? ' · up to ' + megabytes(limits.maxVideoBytes) + ' each.' : '.');
      el.videoSizeHint.textContent = 'Videos are drawn at up to ' + limits.maxVideoSide
        + ' px on the longest side, with their sound kept as it is.';
      showSizeHint();
    } catch (e) {
      // Keep the built-in limits; the server still checks every upload.
    }
  }

  async function loadStyles() {
    let body;
    try {
      const response = await api('/api/styles');
      if (!response.ok) return;
      body = await response.json();
    } catch (e) {
      return;
    }
    if (!body || !Array.isArray(body.styles) || body.styles.length === 0) return;
    styles = body.styles;
    const usable = styles.filter(s => s.available);
    if (!usable.some(s => s.id === options.style)) {
      options.style = usable.some(s => s.id === body.default) ? body.default : (usable[0] || {}).id || null;
    }
    styles.forEach(style => {
      const wrap = document.createElement('div');
      wrap.className = 'style-option';
      const input = document.createElement('input');
      Object.assign(input, { type: 'radio', name: 'style', id: 'style-' + style.id, value: style.id,
        checked: style.id === options.style, disabled: !style.available });
      input.addEventListener('change', () => { options.style = style.id; saveOptions(); });
      const label = document.createElement('label');
      label.htmlFor = input.id;
      if (style.description) label.title = style.description;
      const img = document.createElement('img');
      img.alt = '';
      img.loading = 'lazy';
      img.addEventListener('error', () => { img.hidden = true; });
      if (style.thumbnail) img.src = style.thumbnail;
      const name = document.createElement('span');
      name.className = 'style-name';
      name.textContent = style.name || style.id;
      label.append(img, name);
      if (!style.available && style.reason) {
        const reason = document.createElement('span');
        reason.className = 'style-reason';
        reason.textContent = style.reason;
        label.append(reason);
      }
      wrap.append(input, label);
      el.styleList.append(wrap);
    });
    el.styles.hidden = false;
  }

  async function loadExamples() {
    let list;
    try {
      const response = await api('/api/examples');
      if (!response.ok) return;
      list = (await response.json()).examples || [];
    } catch (e) {
      return;
    }
    list.forEach(example => {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.setAttribute('aria-label', 'Try the example ' + example.name);
      const img = document.createElement('img');
      img.alt = '';
      img.src = example.thumbnail;
      button.append(img);
      button.addEventListener('click', async () => {
        const response = await api(example.url);
        if (!response.ok) return showNotice(['The example ' + example.name + ' could not be loaded.']);
        const blob = await response.blob();
        addFiles([new File([blob], example.name, { type: blob.type })]);
      });
      li.append(button);
      el.exampleList.append(li);
    });
    el.examples.hidden = list.length === 0;
  }

  // ---- Photos and videos in ----

  function isVideo(file) {
    if (file.type) return file.type.startsWith('video/');
    return /\.(mp4|m4v|mov|mkv|webm)$/i.test(file.name);
  }

  function acceptable(file) {
    if (limits.types.includes(file.type) || limits.videoTypes.includes(file.type)) return true;
    return !file.type && /\.(jpe?g|png|webp|bmp|mp4|m4v|mov|mkv|webm)$/i.test(file.name);
  }

  // The file size only: a clip's length and frame size are the server's to check.
  function sizeLimit(file) {
    return isVideo(file) ? limits.maxVideoBytes : limits.maxUploadBytes;
  }

  function addFiles(list) {
    const problems = [];
    let accepted = [];
    Array.from(list).forEach(file => {
      if (!acceptable(file)) {
        problems.push('“' + file.name + '” is neither a JPEG, PNG, WebP or BMP picture nor an MP4, MOV, MKV or WebM video.');
      } else if (sizeLimit(file) && file.size > sizeLimit(file)) {
        problems.push('“' + file.name + '” is ' + megabytes(file.size) + '; the limit is ' + megabytes(sizeLimit(file)) + '.');
      } else if (file.size === 0) {
        problems.push('“' + file.name + '” is empty.');
      } else {
        accepted.push(file);
      }
    });
    if (accepted.length > limits.maxFiles) {
      problems.push('You added ' + accepted.length + ' files; up to ' + limits.maxFiles
        + ' go at a time, so the first ' + limits.maxFiles + ' were added.');
      accepted = accepted.slice(0, limits.maxFiles);
    }
    showNotice(problems);
    accepted.forEach(file => {
      const item = newItem(file);
      waiting.push(item);
    });
    pump();
  }

  function showNotice(problems) {
    el.notice.textContent = problems.join(' ');
    el.notice.hidden = problems.length === 0;
  }

  function megabytes(bytes) {
    return (bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0) + ' MiB';
  }

  function pump() {
    while (uploading < PARALLEL_UPLOADS && waiting.length > 0) {
      uploading++;
      upload(waiting.shift()).finally(() => { uploading--; pump(); });
    }
  }

  async function upload(item) {
    setView(item, null);
    let response;
    let body = {};
    try {
      const form = new FormData();
      form.append('file', item.file, item.file.name);
      if (item.video) appendVideoOptions(form); else appendOptions(form);
      response = await api(item.video ? '/api/videos' : '/api/images', { method: 'POST', body: form });
      body = await response.json().catch(() => ({}));
    } catch (e) {
      return failLocally(item, 'The upload did not go through.', 'Check the connection and try again.');
    }
    if (response.status !== 202) {
      return failLocally(item, PLAIN_ERRORS[body.code] || 'The server did not accept this ' + (item.video ? 'video.' : 'picture.'),
        [body.code, body.error].filter(Boolean).join(': ') || ('HTTP ' + response.status));
    }
    const accepted = (item.video ? body.videos : body.images) || [];
    accepted.forEach((entry, i) => bind(i === 0 ? item : newItem(item.file, item.card), entry));
    if (item.video) accepted.forEach((entry, i) => poll(i === 0 ? item : byId.get(entry.id)));
    else follow();
  }

  function bind(item, image) {
    item.id = image.id;
    byId.set(image.id, item);
    item.card.dataset.id = image.id;
    const style = styles && image.style ? styles.find(s => s.id === image.style) : null;
    if (style && styles.length > 1) $('.name', item.card).textContent = item.file.name + ' · ' + (style.name || style.id);
  }

  // ---- Cards ----

  function newItem(file, after) {
    const video = isVideo(file);
    const card = (video ? el.videoTemplate : el.template).content.firstElementChild.cloneNode(true);
    const item = { file, card, video, id: null, view: null, deadline: null, final: false, url: null,
      poll: null, previewing: false };
    $('.name', card).textContent = file.name;
    $('.bar', card).setAttribute('aria-label', 'Progress of ' + file.name);
    item.url = URL.createObjectURL(file);
    $('.retry', card).addEventListener('click', () => retry(item));
    if (video) {
      setUpVideoCompare(item);
    } else {
      const before = $('.before', card);
      before.alt = 'Original: ' + file.name;
      before.addEventListener('error', () => { before.hidden = true; }, { once: true });
      before.src = item.url;
      setUpCompare(item);
    }
    if (after) after.after(card); else el.cards.append(card);
    items.push(item);
    el.queue.hidden = false;
    updateSummary();
    return item;
  }

  function retry(item) {
    if (item.id) byId.delete(item.id);
    item.id = null;
    item.final = false;
    item.card.classList.remove('failed', 'done');
    $('.failure', item.card).hidden = true;
    if (item.video) resetPlayer(item);
    waiting.push(item);
    pump();
  }

  function setView(item, view) {
    if (item.video) return setVideoView(item, view);
    item.view = view;
    const card = item.card;
    const stage = view ? view.stage : 'uploading';
    card.classList.toggle('done', stage === 'done');
    card.classList.toggle('failed', stage === 'failed');
    $('.badge', card).textContent = BADGES[stage] || stage;
    const progress = view ? view.progress : 3;
    const bar = $('.bar', card);
    bar.setAttribute('aria-valuenow', String(progress));
    bar.setAttribute('aria-valuetext', BADGES[stage] || stage);
    bar.style.setProperty('--progress', progress + '%');
    const reached = stage === 'failed' ? stageAt(progress) : stage;
    $('.steps', card).querySelectorAll('li').forEach(li => {
      const index = STEPS.indexOf(li.dataset.step);
      li.classList.toggle('reached', view != null && index <= STEPS.indexOf(reached));
      li.classList.toggle('current', view != null && li.dataset.step === reached);
    });
    item.deadline = view && view.etaSeconds != null ? Date.now() + view.etaSeconds * 1000 : null;
    $('.stage-words', card).textContent = describe(item);
    showEta(item);
    if (stage === 'done' && !item.final) showResult(item);
    if (stage === 'failed' && !item.final) showFailure(item, view.error);
    item.final = stage === 'done' || stage === 'failed';
    updateSummary();
    ensureTicking();
  }

  function stageAt(progress) {
    return progress >= 75 ? 'stylized' : progress >= 40 ? 'faces' : 'queued';
  }

  function facesText(n) {
    return n == null ? '' : n === 0 ? 'no faces' : n === 1 ? '1 face' : n + ' faces';
  }

  function describe(item) {
    const view = item.view;
    if (!view) return 'Uploading…';
    switch (view.stage) {
      case 'queued':
        return view.position ? 'Waiting in line: #' + view.position : 'Queued';
      case 'faces':
        return (view.faces ? 'Found ' + facesText(view.faces) : 'No faces found') + ' · stylizing';
      case 'stylized':
        return 'Stylized · ' + (view.faces ? 'blending the faces in' : 'finishing');
      case 'done': {
        const total = view.timings && view.timings.total;
        return ['Done' + (total ? ' in ' + (total / 1000).toFixed(1) + ' s' : ''), facesText(view.faces),
          view.width && view.height ? view.width + ' × ' + view.height : ''].filter(Boolean).join(' · ');
      }
      default:
        return 'Failed';
    }
  }

  function showEta(item) {
    const eta = $('.eta', item.card);
    if (!item.view || item.final || item.view.stage === 'done' || item.view.stage === 'failed') {
      eta.textContent = '';
    } else if (item.deadline == null) {
      eta.textContent = item.view.stage === 'queued' ? ' · estimating the time…' : '';
    } else {
      const seconds = Math.round((item.deadline - Date.now()) / 1000);
      eta.textContent = seconds > 0 ? ' · about ' + duration(seconds) + ' left'
        : seconds > -10 ? ' · any moment now' : ' · taking longer than usual';
    }
  }

  function duration(seconds) {
    return seconds < 60 ? seconds + ' s' : Math.floor(seconds / 60) + ' min ' + String(seconds % 60).padStart(2, '0') + ' s';
  }

  // The countdown between events: a local clock, no server calls.
  let ticker = null;
  function ensureTicking() {
    const counting = items.some(item => item.deadline != null && !item.final);
    if (counting && !ticker) {
      ticker = setInterval(() => {
        items.forEach(showEta);
        ensureTicking();
      }, 1000);
    } else if (!counting && ticker) {
      clearInterval(ticker);
      ticker = null;
    }
  }

  function failLocally(item, message, detail) {
    item.view = { stage: 'failed', progress: 0 };
    setView(item, item.view);
    item.final = true;
    showFailureText(item, message, detail);
  }

  function showFailure(item, error) {
    const match = /^([\w-]+): ([A-Z_]+): ([\s\S]*)$/.exec(error || '');
    if (!match) return showFailureText(item, 'Something went wrong.', error || '');
    const [, stage, code, message] = match;
    showFailureText(item, PLAIN_ERRORS[code] || 'Something went wrong.',
      'It stopped while ' + (STAGE_WORDS[stage] || stage) + ': ' + message);
  }

  function showFailureText(item, message, detail) {
    const failure = $('.failure', item.card);
    $('.error', failure).textContent = message;
    $('.error-detail', failure).textContent = detail || '';
    failure.hidden = false;
  }

  // ---- Results: before/after, zoom, downloads, link ----

  function resultUrl(id) {
    return '/api/images/' + encodeURIComponent(id) + '/result';
  }

  function showResult(item) {
    const card = item.card;
    const after = $('.after', card);
    after.alt = 'Anime picture of ' + item.file.name;
    after.addEventListener('load', () => {
      after.hidden = false;
      $('.frame', card).classList.add('compare');
      $('.slider', card).hidden = false;
      $('.result-actions', card).hidden = false;
    }, { once: true });
    after.addEventListener('error', () => showFailureText(item, 'The finished picture could not be shown.', ''), { once: true });
    after.src = resultUrl(item.id);
    const id = encodeURIComponent(item.id);
    const base = item.file.name.replace(/\.[^.]+$/, '');
    const png = $('.download-png', card);
    png.href = '/api/images/' + id + '/download?format=png';
    png.download = base + '.anime.png';
    const jpeg = $('.download-jpeg', card);
    jpeg.href = '/api/images/' + id + '/download?format=jpeg';
    jpeg.download = base + '.anime.jpg';
  }

  function setUpCompare(item) {
    const card = item.card;
    const frame = $('.frame', card);
    const slider = $('.slider', card);
    const move = () => {
      frame.style.setProperty('--pos', slider.value + '%');
      slider.setAttribute('aria-valuetext', slider.value + ' % original');
    };
    slider.addEventListener('input', move);
    move();
    const zoom = $('.zoom', card);
    zoom.addEventListener('click', () => {
      const zoomed = frame.classList.toggle('zoomed');
      zoom.setAttribute('aria-pressed', String(zoomed));
      zoom.textContent = zoomed ? 'Fit to width' : 'Zoom to 100 %';
    });
    const copied = $('.copied', card);
    $('.copy', card).addEventListener('click', async () => {
      const link = new URL(resultUrl(item.id), location.href).href;
      try {
        await navigator.clipboard.writeText(link);
        copied.textContent = 'Link copied';
      } catch (e) {
        copied.textContent = link;
      }
    });
  }

  function updateSummary() {
    const done = items.filter(item => item.view && item.view.stage === 'done');
    const failed = items.filter(item => item.view && item.view.stage === 'failed').length;
    const busy = items.length - done.length - failed;
    el.summary.textContent = [done.length + ' of ' + items.length + ' done',
      busy ? busy + ' in progress' : '', failed ? failed + ' failed' : ''].filter(Boolean).join(' · ');
    // The ZIP holds pictures; each video has its own download.
    const pictures = done.filter(item => !item.video);
    el.zip.hidden = pictures.length === 0;
    el.zip.href = '/api/results.zip?ids=' + pictures.slice(-MAX_STREAM_IDS).map(item => encodeURIComponent(item.id)).join(',');
  }

  el.clear.addEventListener('click', () => {
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i];
      if (!item.final) continue;
      item.card.remove();
      URL.revokeObjectURL(item.url);
      if (item.id) byId.delete(item.id);
      items.splice(i, 1);
    }
    el.queue.hidden = items.length === 0;
    updateSummary();
  });

  // ---- Videos: progress polled per clip, a preview, the result and the original in one player ----

  let compareCount = 0;

  function poll(item) {
    clearTimeout(item.poll);
    const id = item.id;
    item.poll = setTimeout(async () => {
      if (item.id !== id || item.final) return;
      try {
        const response = await api('/api/videos/' + encodeURIComponent(id));
        if (response.ok && item.id === id) setView(item, videoView(await response.json()));
      } catch (e) {
        // The next poll asks again.
      }
      if (item.id === id && !item.final) poll(item);
    }, VIDEO_POLL_MS);
  }

  /** The clip's status as the card's view: stage as for photos, progress from the frames drawn. */
  function videoView(status) {
    const share = status.frames ? Math.min(1, (status.framesDone || 0) / status.frames) : 0;
    const progress = status.status === 'done' ? 100 : status.status === 'queued' ? 3 : 5 + Math.round(94 * share);
    return Object.assign({}, status, { stage: status.status, progress });
  }

  function setVideoView(item, view) {
    item.view = view;
    const card = item.card;
    const stage = view ? view.stage : 'uploading';
    card.classList.toggle('done', stage === 'done');
    card.classList.toggle('failed', stage === 'failed');
    $('.badge', card).textContent = BADGES[stage] || stage;
    const progress = view ? view.progress : 3;
    const bar = $('.bar', card);
    bar.setAttribute('aria-valuenow', String(progress));
    bar.setAttribute('aria-valuetext', view && view.frames
      ? (view.framesDone || 0) + ' of ' + view.frames + ' frames drawn' : BADGES[stage] || stage);
    bar.style.setProperty('--progress', progress + '%');
    $('.frames-count', card).textContent = view && view.frames ? 'Frames ' + (view.framesDone || 0) + ' / ' + view.frames : '';
    $('.segments-count', card).textContent = view && view.segments
      ? 'Segments ' + (view.segmentsDone || 0) + ' / ' + view.segments : '';
    item.deadline = view && view.etaSeconds != null ? Date.now() + view.etaSeconds * 1000 : null;
    const words = describeVideo(item);
    const live = $('.stage-words', card);
    if (live.textContent !== words) live.textContent = words;
    showEta(item);
    // The clip's own preview (from its start) replaces the first drawn segment once it is drawn.
    if (stage === 'processing' && view.previewUrl && item.previewing !== previewKind(view)) showPreview(item, view);
    if (stage === 'done' && !item.final) showVideoResult(item);
    if (stage === 'failed' && !item.final) {
      resetPlayer(item);
      showVideoFailure(item, view.error);
    }
    item.final = stage === 'done' || stage === 'failed';
    updateSummary();
    ensureTicking();
  }

  // Screen readers hear the progress in tens of percent, not every frame.
  function describeVideo(item) {
    const view = item.view;
    if (!view) return 'Uploading…';
    switch (view.stage) {
      case 'queued':
        return 'Queued';
      case 'processing':
        return view.frames ? 'Drawing the anime clip · ' + Math.floor(100 * (view.framesDone || 0) / view.frames / 10) * 10 + ' %'
          : 'Reading the clip';
      case 'done':
        return ['Done', view.durationSeconds ? view.durationSeconds.toFixed(1) + ' s' : '',
          view.width && view.height ? view.width + ' × ' + view.height : '',
          view.hasAudio === true ? 'with sound' : view.hasAudio === false ? 'no sound' : ''].filter(Boolean).join(' · ');
      default:
        return 'Failed';
    }
  }

  // The players ask the page's own API: the status's previewUrl and resultUrl say when there is
  // something to play, but may carry the service's public address, another origin to this page.
  function videoPath(item, part) {
    return '/api/videos/' + encodeURIComponent(item.id) + '/' + part;
  }

  function play(item, url, caption) {
    const card = item.card;
    const clip = $('.clip', card);
    clip.src = url;
    clip.setAttribute('aria-label', caption + ': ' + item.file.name);
    $('.player-caption', card).textContent = caption;
    $('.player', card).hidden = false;
  }

  function previewKind(view) {
    return view.previewDraft ? 'draft' : 'segment';
  }

  function showPreview(item, view) {
    item.previewing = previewKind(view);
    // The kind in the query makes the player load the clip's own preview when it replaces the segment.
    play(item, videoPath(item, 'preview') + '?' + item.previewing, view.previewDraft
      ? 'Preview: the first seconds drawn quickly at low detail, while the clip is drawn'
      : 'Preview: the first part drawn, while the rest is drawn');
    $('.preview-label', item.card).hidden = false;
  }

  function showVideoResult(item) {
    const card = item.card;
    play(item, videoPath(item, 'result'), 'The anime clip');
    $('.preview-label', card).hidden = true;
    const original = $('.original', card);
    original.src = item.url;
    original.setAttribute('aria-label', 'The original clip: ' + item.file.name);
    const download = $('.download-video', card);
    download.href = videoPath(item, 'result') + '?download=true';
    download.download = item.file.name.replace(/\.[^.]+$/, '') + '.anime.mp4';
    $('.result-actions', card).hidden = false;
  }

  function showVideoFailure(item, error) {
    if (!error || typeof error === 'string') return showFailure(item, error);
    const message = error.message || '';
    const coded = error.code && !message.startsWith(error.code) ? error.code + ': ' + message : message;
    showFailureText(item, PLAIN_ERRORS[error.code] || 'Something went wrong.',
      coded + (error.stage ? ' (at the ' + error.stage + ' step)' : ''));
  }

  // The switch shows the original (the local file, never uploaded again) in the anime clip's place,
  // at the same moment and in the same play state.
  function setUpVideoCompare(item) {
    const card = item.card;
    const compare = $('.compare', card);
    compare.id = 'compare-' + (++compareCount);
    $('.compare-toggle label', card).htmlFor = compare.id;
    const clip = $('.clip', card);
    const original = $('.original', card);
    compare.addEventListener('change', () => {
      const from = compare.checked ? clip : original;
      const to = compare.checked ? original : clip;
      const playing = !from.paused;
      from.pause();
      to.currentTime = from.currentTime;
      from.hidden = true;
      to.hidden = false;
      $('.player-caption', card).textContent = compare.checked ? 'The original clip' : 'The anime clip';
      if (playing) to.play().catch(() => {});
    });
  }

  function resetPlayer(item) {
    const card = item.card;
    item.previewing = false;
    $('.preview-label', card).hidden = true;
    $('.player', card).hidden = true;
    $('.result-actions', card).hidden = true;
    $('.compare', card).checked = false;
    $('.clip', card).hidden = false;
    $('.original', card).hidden = true;
    $('.clip', card).removeAttribute('src');
  }

  // ---- Live progress: one event stream for every picture still in flight ----

  let stream = null;
  let streamTimer = null;
  let streamFailures = 0;

  function follow(delay) {
    clearTimeout(streamTimer);
    streamTimer = setTimeout(openStream, delay || 30);
  }

  async function openStream() {
    const ids = items.filter(item => item.id && !item.final && !item.video).map(item => item.id).slice(0, MAX_STREAM_IDS);
    const key = ids.join(',');
    if (stream && stream.key === key) return;
    if (stream) stream.controller.abort();
    stream = null;
    if (!key) return;
    const current = { key, controller: new AbortController() };
    stream = current;
    try {
      const response = await api('/api/events?ids=' + encodeURIComponent(key),
        { headers: { Accept: 'text/event-stream' }, signal: current.controller.signal });
      if (!response.ok || !response.body) throw new Error('HTTP ' + response.status);
      streamFailures = 0;
      await readEvents(response.body, onEvent);
    } catch (e) {
      if (current.controller.signal.aborted) return;
      streamFailures++;
    }
    if (stream === current) {
      stream = null;
      follow(Math.min(30000, 1000 * 2 ** Math.min(streamFailures, 5)));
    }
  }

  async function readEvents(body, handle) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value.replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message';
        const data = [];
        block.split('\n').forEach(line => {
          if (line.startsWith(':')) return;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') event = text;
          else if (field === 'data') data.push(text);
        });
        if (data.length) handle(event, data.join('\n'));
      }
    }
  }

  function onEvent(event, data) {
    if (event !== 'status') return;
    const view = JSON.parse(data);
    const item = byId.get(view.id);
    if (!item) return;
    setView(item, view);
    if (item.final) follow();
  }

  // ---- Drop anywhere, pick, paste ----

  let dragDepth = 0;
  const hasFiles = event => event.dataTransfer && Array.from(event.dataTransfer.types || []).includes('Files');
  document.addEventListener('dragenter', event => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    dragDepth++;
    document.body.classList.add('dragging');
  });
  document.addEventListener('dragover', event => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  });
  document.addEventListener('dragleave', event => {
    if (!hasFiles(event)) return;
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) document.body.classList.remove('dragging');
  });
  document.addEventListener('drop', event => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    dragDepth = 0;
    document.body.classList.remove('dragging');
    addFiles(event.dataTransfer.files);
  });

  [el.files, el.camera].forEach(input => input.addEventListener('change', () => {
    addFiles(input.files);
    input.value = '';
  }));

  document.addEventListener('paste', event => {
    const files = Array.from((event.clipboardData && event.clipboardData.files) || []);
    if (files.length === 0) return;
    event.preventDefault();
    addFiles(files);
  });

  setUpOptions();
  loadLimits();
  loadStyles();
  loadExamples();
})();
