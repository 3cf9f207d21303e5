// The Herald console's web UI: one page, hash routes (#/cluster, #/topics, #/topics/NAME, #/topics/NAME/messages,
// #/groups, #/groups/ID, #/charts, #/jms, #/security), everything read and changed through the REST API of
// docs/rest-api.md. Errors from the API are shown as the API words them: in the form that caused them, or in the
// banner at the top for a page that could not load.

const view = document.getElementById('view');
const banner = document.getElementById('error');
const statusLine = document.getElementById('status');
let timers = [];
let charts = [];
// GET /api/session: whether the broker asks for a login, who is logged in, and the CSRF token changes must carry.
let session = { securityEnabled: false, authenticated: false, role: 'ADMIN', csrfToken: null };

// ---- helpers ------------------------------------------------------------------------------------------------------

/** Calls the API; resolves to the JSON body (null for 204), rejects with an Error whose message is for people. */
async function api(method, path, body) {
  let response;
  try {
    const headers = body === undefined ? {} : { 'Content-Type': 'application/json' };
    if (method !== 'GET' && session.csrfToken) {
      headers['X-Herald-CSRF'] = session.csrfToken;
    }
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (e) {
    setStatus(false);
    throw new Error('The broker does not answer: the console cannot reach it (' + e.message + ').');
  }
  setStatus(true);
  if (response.status === 204) {
    return null;
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (response.status === 401 && path !== '/api/session') {
    // the session ended (expired, logged out elsewhere, broker restarted): back to the login page
    session = { securityEnabled: true, authenticated: false };
    showUser();
    loginPage();
    const error = new Error('Your session has ended: log in again.');
    error.status = 401;
    error.silent = true;
    throw error;
  }
  if (!response.ok) {
    const message = json && json.error ? json.error.message : 'The broker answered ' + response.status + '.';
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return json;
}

function setStatus(up) {
  statusLine.textContent = up ? 'connected' : 'broker unreachable';
  statusLine.classList.toggle('down', !up);
}

function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function showError(message) {
  banner.textContent = message;
  banner.hidden = !message;
}

function formError(form, error) {
  let box = form.querySelector('.form-error');
  if (!box) {
    box = document.createElement('div');
    box.className = 'form-error';
    box.setAttribute('role', 'alert');
    form.prepend(box);
  }
  box.textContent = error ? error.message : '';
  box.hidden = !error;
}

function notice(text) {
  const div = document.createElement('div');
  div.className = 'notice';
  div.setAttribute('role', 'status');
  div.textContent = text;
  view.prepend(div);
  setTimeout(() => div.remove(), 6000);
}

function bytes(n) {
  if (n < 0) return '?';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
}

function rate(n) {
  return n >= 100 ? Math.round(n).toString() : n.toFixed(1);
}

function duration(ms) {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  return (d ? d + 'd ' : '') + (d || h ? h + 'h ' : '') + m + 'm ' + (s % 60) + 's';
}

function time(ms) {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', ' UTC');
}

function every(ms, fn) {
  timers.push(setInterval(fn, ms));
}

/**
 * Makes button {@code buttonId} delete {@code what} {@code name} through {@code url} once its name is typed, then go
 * to {@code back}; a refusal is shown.
 */
function wireDelete(buttonId, what, name, url, back) {
  document.getElementById(buttonId).addEventListener('click', async () => {
    if (!(await confirmByName(what, name))) {
      return;
    }
    try {
      await api('DELETE', url);
      location.hash = back;
    } catch (e) {
      showError(e.message);
    }
  });
}

/** Asks for the name of what is about to be deleted; resolves to true only when it was typed exactly. */
function confirmByName(what, name) {
  return new Promise(resolve => {
    const dialog = document.createElement('dialog');
    dialog.innerHTML = `<form method="dialog" id="confirm-form">
        <p>Delete ${esc(what)} <b>${esc(name)}</b>? This cannot be undone.</p>
        <label>Type <b>${esc(name)}</b> to confirm <input name="confirm" autocomplete="off"></label>
        <div class="row" style="margin-top:12px"><button value="cancel">Cancel</button>
        <button class="danger" value="delete" id="confirm-delete">Delete</button></div></form>`;
    document.body.append(dialog);
    dialog.addEventListener('close', () => {
      const typed = dialog.querySelector('input').value;
      dialog.remove();
      resolve(dialog.returnValue === 'delete' && typed === name);
    });
    dialog.showModal();
  });
}

// ---- routing ------------------------------------------------------------------------------------------------------

const routes = [
  [/^#\/cluster$/, clusterPage],
  [/^#\/topics$/, topicsPage],
  [/^#\/topics\/([^/]+)$/, m => topicPage(decodeURIComponent(m[1]))],
  [/^#\/topics\/([^/]+)\/messages$/, (m, p) => messagesPage(decodeURIComponent(m[1]), p)],
  [/^#\/groups$/, groupsPage],
  [/^#\/groups\/([^/]+)$/, m => groupPage(decodeURIComponent(m[1]))],
  [/^#\/charts$/, chartsPage],
  [/^#\/jms$/, jmsPage],
  [/^#\/jms\/queues\/([^/]+)$/, (m, p) => queuePage(decodeURIComponent(m[1]), p)],
  [/^#\/security$/, securityPage],
];

async function route() {
  if (session.securityEnabled && !session.authenticated) {
    loginPage();
    return;
  }
  timers.forEach(clearInterval);
  timers = [];
  charts.forEach(c => c.destroy());
  charts = [];
  showError('');
  const [hash, query] = (location.hash || '#/cluster').split('?');
  const params = new URLSearchParams(query || '');
  document.querySelectorAll('header nav a').forEach(a => a.classList.toggle('active', hash.startsWith('#/' + a.dataset.nav)));
  for (const [pattern, page] of routes) {
    const m = hash.match(pattern);
    if (m) {
      view.innerHTML = '<p class="muted">Loading…</p>';
      try {
        await page(m, params);
      } catch (e) {
        if (!e.silent) {
          view.innerHTML = '';
          showError(e.message);
        }
      }
      return;
    }
  }
  location.hash = '#/cluster';
}

// ---- cluster ------------------------------------------------------------------------------------------------------

async function clusterPage() {
  const render = async () => {
    const v = await api('GET', '/api/cluster');
    const c = v.cluster;
    view.innerHTML = `<h1>Cluster <span class="muted">${esc(c.clusterId)}</span></h1>
      <div class="cards">
        <div class="card"><div class="label">Brokers</div><div class="value" id="broker-count">${c.brokers.length}</div></div>
        <div class="card"><div class="label">Controller</div><div class="value">${c.controllerId}</div></div>
        <div class="card"><div class="label">Topics</div><div class="value">${c.topics}</div></div>
        <div class="card"><div class="label">Partitions</div><div class="value">${c.partitions}</div></div>
        <div class="card"><div class="label">Under-replicated</div><div class="value" id="under-replicated">${c.underReplicatedPartitions}</div></div>
        <div class="card"><div class="label">Offline</div><div class="value" id="offline">${c.offlinePartitions}</div></div>
        <div class="card"><div class="label">Version</div><div class="value" style="font-size:16px">${esc(c.version)}</div></div>
        <div class="card"><div class="label">Uptime</div><div class="value" style="font-size:16px">${duration(v.uptimeMs)}</div></div>
      </div>
      <h2>Brokers</h2>
      <table id="brokers"><tr><th>Id</th><th>Host</th><th>Port</th><th>Rack</th><th>State</th><th>Controller</th></tr>
      ${c.brokers.map(b => `<tr><td>${b.id}</td><td>${esc(b.host)}</td><td>${b.port}</td><td>${esc(b.rack || '')}</td>
        <td><span class="tag ${b.state === 'running' ? 'good' : 'bad'}">${esc(b.state)}</span></td><td>${b.controller ? 'yes' : ''}</td></tr>`).join('')}
      </table>
      <h2>Log directories</h2>
      <table id="log-dirs"><tr><th>Directory</th><th class="num">Partitions</th><th class="num">Partition data</th>
        <th class="num">Free</th><th class="num">Size</th><th>Used</th><th>Problem</th></tr>
      ${v.logDirs.map(d => {
        const used = d.totalBytes > 0 ? (1 - d.usableBytes / d.totalBytes) * 100 : 0;
        return `<tr><td>${esc(d.path)}</td><td class="num">${d.partitions}</td><td class="num">${bytes(d.partitionBytes)}</td>
          <td class="num">${bytes(d.usableBytes)}</td><td class="num">${bytes(d.totalBytes)}</td>
          <td><div class="bar"><span style="width:${used.toFixed(0)}%"></span></div></td>
          <td>${d.error ? `<span class="tag bad">${esc(d.error)}</span>` : ''}</td></tr>`;
      }).join('')}</table>`;
  };
  await render();
  every(5000, () => render().catch(e => showError(e.message)));
}

// ---- topics -------------------------------------------------------------------------------------------------------

async function topicsPage(m, params) {
  const search = params.get('search') || '';
  const internal = params.get('internal') === 'true';
  view.innerHTML = `<h1>Topics</h1>
    <div class="toolbar">
      <label>Search <input id="topic-search" value="${esc(search)}" placeholder="name contains…"></label>
      <label class="inline"><input type="checkbox" id="show-internal" ${internal ? 'checked' : ''}> internal topics</label>
    </div>
    <div id="topic-list"></div>
    <form class="panel" id="create-topic">
      <h2 style="margin-top:0">Create a topic</h2>
      <div class="row">
        <label>Name <input name="name" required></label>
        <label>Partitions <input name="partitions" type="number" min="1" value="1" style="width:90px"></label>
        <label>Replication factor <input name="replicationFactor" type="number" min="1" value="1" style="width:90px"></label>
      </div>
      <label style="margin-top:8px"><span>Configs (one <code>key=value</code> a line)</span> <textarea name="configs" placeholder="retention.ms=3600000"></textarea></label>
      <div class="row" style="margin-top:8px"><button class="primary" id="create-topic-button">Create</button></div>
    </form>`;
  const list = document.getElementById('topic-list');
  const load = async () => {
    const q = new URLSearchParams({ search: document.getElementById('topic-search').value, internal: document.getElementById('show-internal').checked });
    const topics = await api('GET', '/api/topics?' + q);
    list.innerHTML = topics.length === 0
      ? '<p class="muted" id="no-topics">No topic matches.</p>'
      : `<table id="topics"><tr><th>Name</th><th class="num">Partitions</th><th class="num">Replication</th><th class="num">Size</th>
          <th class="num">Messages</th><th class="num">Msg/s in</th><th class="num">Msg/s out</th></tr>
        ${topics.map(t => `<tr data-topic="${esc(t.name)}"><td><a href="#/topics/${encodeURIComponent(t.name)}">${esc(t.name)}</a>
          ${t.internal ? '<span class="tag">internal</span>' : ''}</td><td class="num">${t.partitions}</td><td class="num">${t.replicationFactor}</td>
          <td class="num">${bytes(t.sizeBytes)}</td><td class="num">${t.messages}</td><td class="num">${rate(t.rates.messagesIn)}</td>
          <td class="num">${rate(t.rates.messagesOut)}</td></tr>`).join('')}</table>`;
  };
  document.getElementById('topic-search').addEventListener('input', () => load().catch(e => showError(e.message)));
  document.getElementById('show-internal').addEventListener('change', () => load().catch(e => showError(e.message)));
  const form = document.getElementById('create-topic');
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      const configs = parseConfigs(data.get('configs'));
      const created = await api('POST', '/api/topics', {
        name: data.get('name'), partitions: Number(data.get('partitions')),
        replicationFactor: Number(data.get('replicationFactor')), configs,
      });
      location.hash = '#/topics/' + encodeURIComponent(created.topic.name);
    } catch (e) {
      formError(form, e);
    }
  });
  await load();
  every(5000, () => load().catch(e => showError(e.message)));
}

function parseConfigs(text) {
  const configs = {};
  for (const line of String(text || '').split('\n')) {
    if (!line.trim()) continue;
    const at = line.indexOf('=');
    if (at < 1) throw new Error(`"${line.trim()}" is not a key=value line.`);
    configs[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return configs;
}

async function topicPage(name) {
  const [detail, configs] = await Promise.all([
    api('GET', '/api/topics/' + encodeURIComponent(name)),
    api('GET', '/api/topics/' + encodeURIComponent(name) + '/configs'),
  ]);
  const t = detail.topic;
  const enc = encodeURIComponent(name);
  view.innerHTML = `<h1>Topic ${esc(t.name)} ${t.internal ? '<span class="tag">internal</span>' : ''}</h1>
    <div class="cards">
      <div class="card"><div class="label">Partitions</div><div class="value">${t.partitions}</div></div>
      <div class="card"><div class="label">Replication</div><div class="value">${t.replicationFactor}</div></div>
      <div class="card"><div class="label">Size</div><div class="value">${bytes(t.sizeBytes)}</div></div>
      <div class="card"><div class="label">Messages</div><div class="value" id="topic-messages">${t.messages}</div></div>
      <div class="card"><div class="label">Msg/s in · out</div><div class="value">${rate(detail.rates.messagesIn)} · ${rate(detail.rates.messagesOut)}</div></div>
    </div>
    <p><a href="#/topics/${enc}/messages" id="browse-messages">Browse messages</a></p>
    <h2>Partitions</h2>
    <table id="partitions"><tr><th>Partition</th><th>Leader</th><th>Replicas</th><th>In-sync replicas</th><th class="num">Log start</th>
      <th class="num">Log end</th><th class="num">High watermark</th><th class="num">Size</th><th></th></tr>
    ${t.partitionStates.map(p => `<tr><td>${p.partition}</td><td>${p.leader < 0 ? '<span class="tag bad">offline</span>' : p.leader}</td>
      <td>${p.replicas.join(', ')}</td><td>${p.isr.join(', ')}</td><td class="num">${p.logStartOffset}</td><td class="num">${p.logEndOffset}</td>
      <td class="num">${p.highWatermark}</td><td class="num">${bytes(p.sizeBytes)}</td>
      <td><a href="#/topics/${enc}/messages?partition=${p.partition}">messages</a></td></tr>`).join('')}</table>
    <form class="panel" id="add-partitions"><div class="row">
      <label>Grow to partitions <input name="count" type="number" value="${t.partitions + 1}" style="width:100px"></label>
      <button id="add-partitions-button">Add partitions</button></div></form>
    <h2>Configuration</h2>
    <table id="configs"><tr><th>Key</th><th>Value</th><th>Source</th><th></th></tr>
    ${configs.map(c => `<tr data-config="${esc(c.name)}"><td title="${esc(c.documentation || '')}">${esc(c.name)}</td>
      <td>${c.sensitive ? '••••' : esc(c.value)}</td><td><span class="tag ${c.source === 'TOPIC_CONFIG' ? 'good' : ''}">${esc(c.source)}</span></td>
      <td>${c.source === 'TOPIC_CONFIG' && !c.readOnly ? `<button class="remove-config" data-name="${esc(c.name)}">Reset to default</button>` : ''}</td></tr>`).join('')}</table>
    <form class="panel" id="alter-configs"><div class="row">
      <label>Key <select name="key">${configs.filter(c => !c.readOnly).map(c => `<option>${esc(c.name)}</option>`).join('')}</select></label>
      <label>Value <input name="value"></label><button id="alter-configs-button">Set</button></div></form>
    <h2>Delete</h2>
    <div class="panel"><button class="danger" id="delete-topic">Delete topic ${esc(t.name)}</button></div>`;

  const addForm = document.getElementById('add-partitions');
  addForm.addEventListener('submit', async event => {
    event.preventDefault();
    try {
      await api('POST', `/api/topics/${enc}/partitions`, { count: Number(new FormData(addForm).get('count')) });
      await route();
      notice('Partitions added.');
    } catch (e) {
      formError(addForm, e);
    }
  });
  const alterForm = document.getElementById('alter-configs');
  alterForm.addEventListener('submit', async event => {
    event.preventDefault();
    const data = new FormData(alterForm);
    try {
      await api('PATCH', `/api/topics/${enc}/configs`, { set: { [data.get('key')]: data.get('value') } });
      await route();
      notice(`${data.get('key')} set.`);
    } catch (e) {
      formError(alterForm, e);
    }
  });
  view.querySelectorAll('.remove-config').forEach(button => button.addEventListener('click', async () => {
    try {
      await api('PATCH', `/api/topics/${enc}/configs`, { delete: [button.dataset.name] });
      await route();
    } catch (e) {
      showError(e.message);
    }
  }));
  wireDelete('delete-topic', 'topic', name, `/api/topics/${enc}?confirm=${enc}`, '#/topics');
}

// ---- messages -----------------------------------------------------------------------------------------------------

function hex(base64) {
  const raw = atob(base64);
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    out += raw.charCodeAt(i).toString(16).padStart(2, '0') + (i % 16 === 15 ? '\n' : ' ');
  }
  return out.trim();
}

function shown(data, format) {
  if (data === null) return '<span class="muted">null</span>';
  if (format === 'hex' || data.text === null) return `<pre>${esc(hex(data.base64))}</pre>`;
  if (format === 'json' && data.json) return `<pre>${esc(JSON.stringify(JSON.parse(data.text), null, 2))}</pre>`;
  return `<pre>${esc(data.text)}</pre>`;
}

async function messagesPage(topic, params) {
  const enc = encodeURIComponent(topic);
  const t = (await api('GET', '/api/topics/' + enc)).topic;
  const partition = params.get('partition') || '0';
  const format = params.get('format') || 'json';
  const limit = params.get('limit') || '20';
  const query = new URLSearchParams({ limit });
  if (params.get('offset')) query.set('offset', params.get('offset'));
  else if (params.get('timestamp')) query.set('timestamp', params.get('timestamp'));
  else query.set('position', params.get('position') || 'earliest');
  view.innerHTML = `<h1>Messages of <a href="#/topics/${enc}">${esc(topic)}</a></h1>
    <form class="toolbar" id="browse">
      <label>Partition <select name="partition">${t.partitionStates.map(p => `<option ${String(p.partition) === partition ? 'selected' : ''}>${p.partition}</option>`).join('')}</select></label>
      <label>From offset <input name="offset" type="number" min="0" value="${esc(params.get('offset') || '')}" style="width:110px"></label>
      <label>or from time <input name="timestamp" value="${esc(params.get('timestamp') || '')}" placeholder="2026-11-22T10:00:00Z" style="width:200px"></label>
      <label>Per page <select name="limit">${['10', '20', '50', '100'].map(n => `<option ${n === limit ? 'selected' : ''}>${n}</option>`).join('')}</select></label>
      <label>Show values as <select name="format">${['json', 'text', 'hex'].map(f => `<option ${f === format ? 'selected' : ''}>${f}</option>`).join('')}</select></label>
      <button class="primary" id="browse-button">Show</button>
      <button type="button" id="latest-button">Latest</button>
    </form>
    <div id="page"></div>
    <form class="panel" id="produce">
      <h2 style="margin-top:0">Produce a message</h2>
      <div class="row"><label>Partition <select name="partition"><option value="">by key</option>
        ${t.partitionStates.map(p => `<option>${p.partition}</option>`).join('')}</select></label>
        <label>Key <input name="key"></label></div>
      <label style="margin-top:8px">Value <textarea name="value"></textarea></label>
      <label style="margin-top:8px"><span>Headers (one <code>key=value</code> a line)</span> <textarea name="headers" style="min-height:40px"></textarea></label>
      <div class="row" style="margin-top:8px"><button class="primary" id="produce-button">Produce</button></div>
    </form>`;
  const browse = document.getElementById('browse');
  const go = changes => {
    const data = new FormData(browse);
    const next = new URLSearchParams({ partition: data.get('partition'), format: data.get('format'), limit: data.get('limit') });
    const fields = Object.assign({ offset: data.get('offset'), timestamp: data.get('timestamp') }, changes);
    for (const [k, v] of Object.entries(fields)) if (v !== '' && v !== null && v !== undefined) next.set(k, v);
    location.hash = `#/topics/${enc}/messages?${next}`;
  };
  browse.addEventListener('submit', event => {
    event.preventDefault();
    go({});
  });
  document.getElementById('latest-button').addEventListener('click', () => go({ offset: '', timestamp: '', position: 'latest' }));
  browse.querySelector('[name=format]').addEventListener('change', () => go({}));

  const pageDiv = document.getElementById('page');
  try {
    const page = await api('GET', `/api/topics/${enc}/partitions/${encodeURIComponent(partition)}/messages?${query}`);
    pageDiv.innerHTML = `<p class="muted">Partition ${page.partition}: offsets ${page.logStartOffset} to ${page.highWatermark - 1 < page.logStartOffset ? '(empty)' : page.highWatermark - 1};
        showing from ${page.firstOffset}.</p>
      ${page.messages.length === 0 ? '<p class="muted" id="no-messages">No messages here.</p>' : `<table id="messages">
        <tr><th class="num">Offset</th><th>Time</th><th>Key</th><th>Headers</th><th>Value</th></tr>
        ${page.messages.map(msg => `<tr data-offset="${msg.offset}"><td class="num">${msg.offset}</td>
          <td>${time(msg.timestamp)}<div class="hdr">${esc(msg.timestampType)}</div></td><td>${shown(msg.key, format === 'hex' ? 'hex' : 'text')}</td>
          <td>${msg.headers.map(h => `<div class="hdr"><b>${esc(h.key)}</b>: ${h.value === null ? 'null' : esc(h.value.text ?? hex(h.value.base64))}</div>`).join('')}</td>
          <td>${shown(msg.value, format)}</td></tr>`).join('')}</table>`}
      <div class="row" style="margin-top:10px">
        <button id="previous-page" ${page.previousOffset === null ? 'disabled' : ''}>← Previous</button>
        <button id="next-page" ${page.nextOffset >= page.highWatermark ? 'disabled' : ''}>Next →</button></div>`;
    document.getElementById('previous-page').addEventListener('click', () => go({ offset: page.previousOffset, timestamp: '' }));
    document.getElementById('next-page').addEventListener('click', () => go({ offset: page.nextOffset, timestamp: '' }));
  } catch (e) {
    formError(browse, e);
    pageDiv.innerHTML = '';
  }

  const produce = document.getElementById('produce');
  produce.addEventListener('submit', async event => {
    event.preventDefault();
    const data = new FormData(produce);
    try {
      const headers = Object.entries(parseConfigs(data.get('headers'))).map(([key, value]) => ({ key, value }));
      const body = { value: data.get('value'), headers };
      if (data.get('key')) body.key = data.get('key');
      if (data.get('partition') !== '') body.partition = Number(data.get('partition'));
      const done = await api('POST', `/api/topics/${enc}/messages`, body);
      location.hash = `#/topics/${enc}/messages?partition=${done.partition}&offset=${done.offset}&format=${format}`;
      setTimeout(() => notice(`Produced to partition ${done.partition} at offset ${done.offset}.`), 50);
    } catch (e) {
      formError(produce, e);
    }
  });
}

// ---- groups -------------------------------------------------------------------------------------------------------

async function groupsPage() {
  const render = async () => {
    const groups = await api('GET', '/api/groups');
    view.innerHTML = `<h1>Groups</h1>
      <p class="muted">Consumer groups (type <code>classic</code> or <code>consumer</code>, KIP-848) and share groups
        (type <code>share</code>, KIP-932: share consumers and JMS queues and subscriptions). A share group's lag is the
        records not yet delivered to its consumers.</p>` + (groups.length === 0
      ? '<p class="muted" id="no-groups">No group has committed offsets, share-partition state or members yet.</p>'
      : `<table id="groups"><tr><th>Group</th><th>Type</th><th>State</th><th class="num">Members</th><th class="num">Total lag</th></tr>
        ${groups.map(g => `<tr data-group="${esc(g.groupId)}"><td><a href="#/groups/${encodeURIComponent(g.groupId)}">${esc(g.groupId)}</a></td>
          <td>${esc(g.type)}</td><td><span class="tag">${esc(g.state)}</span></td><td class="num">${g.members}</td>
          <td class="num">${g.totalLag}</td></tr>`).join('')}</table>`);
  };
  await render();
  every(3000, () => render().catch(e => showError(e.message)));
}

async function groupPage(id) {
  const enc = encodeURIComponent(id);
  const first = await api('GET', '/api/groups/' + enc);
  if (first.type === 'share') {
    return shareGroupPage(id, first);
  }
  view.innerHTML = `<h1>Consumer group ${esc(id)}</h1><div id="group-state"></div>
    ${RESET_FORM}
    <h2>Delete</h2>
    <div class="panel"><button class="danger" id="delete-group">Delete group ${esc(id)}</button></div>`;
  const state = document.getElementById('group-state');
  const render = async () => {
    const g = await api('GET', '/api/groups/' + enc);
    state.innerHTML = `<div class="cards">
        <div class="card"><div class="label">State</div><div class="value" id="group-state-name">${esc(g.state)}</div></div>
        <div class="card"><div class="label">Type</div><div class="value">${esc(g.type)}</div></div>
        <div class="card"><div class="label">Members</div><div class="value">${g.members.length}</div></div>
        <div class="card"><div class="label">Total lag</div><div class="value" id="total-lag">${g.totalLag}</div></div></div>
      <h2>Members</h2>${membersTable(g.members)}
      <h2>Offsets and lag</h2>${g.offsets.length === 0 ? '<p class="muted">No committed offsets.</p>' : `<table id="lag">
        <tr><th>Topic</th><th class="num">Partition</th><th class="num">Committed</th><th class="num">End</th><th class="num">Lag</th><th>Member</th></tr>
        ${g.offsets.map(o => `<tr><td>${esc(o.topic)}</td><td class="num">${o.partition}</td><td class="num">${o.committedOffset < 0 ? '–' : o.committedOffset}</td>
          <td class="num">${o.logEndOffset < 0 ? '–' : o.logEndOffset}</td><td class="num">${o.lag < 0 ? '–' : o.lag}</td><td>${esc(o.memberId)}</td></tr>`).join('')}</table>`}`;
  };
  await render();
  every(2000, () => render().catch(e => showError(e.message)));
  wireReset(enc, render);
  wireDelete('delete-group', 'consumer group', id, `/api/groups/${enc}?confirm=${enc}`, '#/groups');
}

// Resetting a group's offsets (consumer groups: committed offsets; share groups: start offsets), only while it has
// no members.
const RESET_FORM = `<h2>Reset offsets</h2>
    <form class="panel" id="reset-offsets">
      <p class="muted">Only while the group has no members: stop its consumers first.</p>
      <div class="row">
        <label>To <select name="target"><option value="earliest">earliest</option><option value="latest">latest</option>
          <option value="timestamp">a time</option></select></label>
        <label>Time <input name="timestamp" placeholder="2026-11-22T10:00:00Z"></label>
        <label>Topic <input name="topic" placeholder="all the group's topics"></label>
        <button class="primary" id="reset-button">Reset</button></div>
    </form>`;

function wireReset(enc, refresh) {
  const reset = document.getElementById('reset-offsets');
  reset.addEventListener('submit', async event => {
    event.preventDefault();
    const data = new FormData(reset);
    const body = { target: data.get('target') };
    if (data.get('timestamp')) body.timestamp = data.get('timestamp');
    if (data.get('topic')) body.topic = data.get('topic');
    try {
      await api('POST', `/api/groups/${enc}/offsets/reset`, body);
      formError(reset, null);
      await refresh();
      notice('Offsets reset.');
    } catch (e) {
      formError(reset, e);
    }
  });
}

function membersTable(members) {
  return members.length === 0 ? '<p class="muted">No members.</p>' : `<table id="members">
  <tr><th>Member</th><th>Client</th><th>Host</th><th>Assigned partitions</th></tr>
  ${members.map(m => `<tr><td>${esc(m.memberId)}</td><td>${esc(m.clientId)}</td><td>${esc(m.clientHost)}</td>
    <td>${m.assignment.map(a => esc(a.topic + '-' + a.partition)).join(', ')}</td></tr>`).join('')}</table>`;
}

// A share group has no committed offsets: per partition it has a start offset (below it every record is done) and
// records available (not yet delivered, its lag) and in flight (delivered, not yet acknowledged).
async function shareGroupPage(id, first) {
  const enc = encodeURIComponent(id);
  view.innerHTML = `<h1>Share group ${esc(id)}</h1><div id="group-state"></div>
    ${RESET_FORM}
    <h2>Delete</h2>
    <div class="panel"><p class="muted">Only while the group has no members: stop its consumers first. Deleting forgets
      which records were acknowledged and the group's configs; a consumer joining later starts afresh at
      <code>share.auto.offset.reset</code>. A reset starts the group over at the offset chosen and forgets what was in
      flight.</p>
      <button class="danger" id="delete-group">Delete share group ${esc(id)}</button></div>`;
  const state = document.getElementById('group-state');
  const show = g => {
    state.innerHTML = `<div class="cards">
        <div class="card"><div class="label">State</div><div class="value" id="group-state-name">${esc(g.state)}</div></div>
        <div class="card"><div class="label">Type</div><div class="value">${esc(g.type)}</div></div>
        <div class="card"><div class="label">Members</div><div class="value" id="share-members">${g.members.length}</div></div>
        <div class="card"><div class="label">Total lag (available)</div><div class="value" id="total-lag">${g.totalLag}</div></div>
        <div class="card"><div class="label">In flight</div><div class="value" id="in-flight">${g.inFlight}</div></div></div>
      <h2>Members</h2>${membersTable(g.members)}
      <h2>Partitions</h2>${g.partitions.length === 0 ? '<p class="muted">No partitions yet.</p>' : `<table id="share-partitions">
        <tr><th>Topic</th><th class="num">Partition</th><th class="num">Start offset</th><th class="num">End (high watermark)</th>
          <th class="num">Available (lag)</th><th class="num">In flight</th><th>Members</th></tr>
        ${g.partitions.map(p => `<tr data-partition="${esc(p.topic + '-' + p.partition)}"><td>${esc(p.topic)}</td><td class="num">${p.partition}</td>
          <td class="num">${p.startOffset < 0 ? '–' : p.startOffset}</td><td class="num">${p.highWatermark}</td>
          <td class="num">${p.available}</td><td class="num">${p.inFlight}</td><td>${p.members.map(esc).join(', ')}</td></tr>`).join('')}</table>`}`;
  };
  show(first);
  every(2000, () => api('GET', '/api/groups/' + enc).then(show).catch(e => showError(e.message)));
  wireReset(enc, async () => show(await api('GET', '/api/groups/' + enc)));
  wireDelete('delete-group', 'share group', id, `/api/groups/${enc}?confirm=${enc}`, '#/groups');
}

// ---- live charts --------------------------------------------------------------------------------------------------

async function chartsPage() {
  if (!window.Chart) {
    throw new Error('The charting library did not load; the live charts cannot be drawn.');
  }
  view.innerHTML = `<h1>Live traffic <span class="muted">(per second, last 5 minutes)</span></h1>
    <div class="charts">
      <div class="chart"><canvas id="chart-messages"></canvas></div>
      <div class="chart"><canvas id="chart-bytes"></canvas></div>
      <div class="chart"><canvas id="chart-topics-in"></canvas></div>
      <div class="chart"><canvas id="chart-topics-out"></canvas></div>
    </div>`;
  const make = (id, title) => {
    const chart = new window.Chart(document.getElementById(id), {
      type: 'line',
      data: { labels: [], datasets: [] },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false, parsing: false,
        plugins: { title: { display: true, text: title } },
        scales: { x: { type: 'linear', ticks: { callback: v => new Date(v).toLocaleTimeString() } }, y: { beginAtZero: true } },
        elements: { point: { radius: 0 } },
      },
    });
    charts.push(chart);
    return chart;
  };
  const messages = make('chart-messages', 'Broker: messages per second');
  const bytesChart = make('chart-bytes', 'Broker: bytes per second');
  const topicsIn = make('chart-topics-in', 'Messages in per second, by topic');
  const topicsOut = make('chart-topics-out', 'Messages out per second, by topic');
  const series = (s, field) => s.timestamps.map((t, i) => ({ x: t, y: s.rates[i][field] }));
  const set = (chart, datasets) => {
    chart.data.datasets = datasets;
    chart.update();
  };
  const render = async () => {
    const live = await api('GET', '/api/metrics/live?seconds=300');
    set(messages, [{ label: 'in', data: series(live.broker, 'messagesIn') }, { label: 'out', data: series(live.broker, 'messagesOut') }]);
    set(bytesChart, [{ label: 'in', data: series(live.broker, 'bytesIn') }, { label: 'out', data: series(live.broker, 'bytesOut') }]);
    const topics = Object.entries(live.topics);
    set(topicsIn, topics.map(([name, s]) => ({ label: name, data: series(s, 'messagesIn') })));
    set(topicsOut, topics.map(([name, s]) => ({ label: name, data: series(s, 'messagesOut') })));
  };
  await render();
  every(2000, () => render().catch(e => showError(e.message)));
}

// ---- security -----------------------------------------------------------------------------------------------------

async function securityPage() {
  const view0 = await api('GET', '/api/security');
  if (!view0.available) {
    view.innerHTML = `<h1>Security</h1><div class="unavailable" id="feature-status">${esc(view0.reason)}</div>`;
    return;
  }
  const s = view0.status;
  const [users, acls] = await Promise.all([api('GET', '/api/security/users'), api('GET', '/api/security/acls')]);
  const option = (values, selected) => values.map(v => `<option ${v === selected ? 'selected' : ''}>${v}</option>`).join('');
  view.innerHTML = `<h1>Security</h1>
    <div class="cards">
      <div class="card"><div class="label">Listeners</div><div class="value" style="font-size:15px">${s.listeners.map(esc).join('<br>')}</div></div>
      <div class="card"><div class="label">SASL mechanisms</div><div class="value" style="font-size:15px">${s.mechanisms.map(esc).join('<br>')}</div></div>
      <div class="card"><div class="label">ACLs</div><div class="value" id="acls-enforced">${s.authorizer ? 'enforced' : 'off'}</div></div>
      <div class="card"><div class="label">Super users</div><div class="value" style="font-size:15px">${esc(s.superUsers || '–')}</div></div>
    </div>
    <h2>Users (SCRAM)</h2>
    ${users.length === 0 ? '<p class="muted" id="no-users">No SCRAM user.</p>' : `<table id="users"><tr><th>User</th><th>Mechanisms</th><th class="num">Iterations</th><th></th></tr>
      ${users.map(u => `<tr data-user="${esc(u.name)}"><td>${esc(u.name)}</td><td>${u.mechanisms.map(esc).join(', ')}</td>
        <td class="num">${u.iterations.join(', ')}</td><td><button class="delete-user" data-name="${esc(u.name)}">Delete</button></td></tr>`).join('')}</table>`}
    <form class="panel" id="add-user"><div class="row">
      <label>User <input name="name" autocomplete="off"></label>
      <label>Password <input name="password" type="password" autocomplete="new-password"></label>
      <label>Mechanism <select name="mechanism">${option(['SCRAM-SHA-512', 'SCRAM-SHA-256'], 'SCRAM-SHA-512')}</select></label>
      <button class="primary" id="add-user-button">Set password</button></div></form>
    <h2>ACLs</h2>
    ${acls.length === 0 ? '<p class="muted" id="no-acls">No ACL.</p>' : `<table id="acls"><tr><th>Principal</th><th>Host</th><th>Resource</th><th>Name</th>
      <th>Pattern</th><th>Operation</th><th>Permission</th><th></th></tr>
      ${acls.map((a, i) => `<tr data-acl="${i}"><td>${esc(a.principal)}</td><td>${esc(a.host)}</td><td>${esc(a.resourceType)}</td><td>${esc(a.resourceName)}</td>
        <td>${esc(a.patternType)}</td><td>${esc(a.operation)}</td><td><span class="tag ${a.permission === 'ALLOW' ? 'good' : 'bad'}">${esc(a.permission)}</span></td>
        <td><button class="remove-acl" data-index="${i}">Remove</button></td></tr>`).join('')}</table>`}
    <form class="panel" id="add-acl"><div class="row">
      <label>Principal <input name="principal" value="User:" style="width:140px"></label>
      <label>Host <input name="host" value="*" style="width:90px"></label>
      <label>Resource <select name="resourceType">${option(['TOPIC', 'GROUP', 'CLUSTER', 'TRANSACTIONAL_ID'], 'TOPIC')}</select></label>
      <label>Name <input name="resourceName" style="width:140px"></label>
      <label>Pattern <select name="patternType">${option(['LITERAL', 'PREFIXED'], 'LITERAL')}</select></label>
      <label>Operation <select name="operation">${option(['READ', 'WRITE', 'CREATE', 'DELETE', 'ALTER', 'DESCRIBE', 'DESCRIBE_CONFIGS', 'ALTER_CONFIGS', 'IDEMPOTENT_WRITE', 'CLUSTER_ACTION', 'ALL'], 'READ')}</select></label>
      <label>Permission <select name="permission">${option(['ALLOW', 'DENY'], 'ALLOW')}</select></label>
      <button class="primary" id="add-acl-button">Add ACL</button></div></form>`;
  const addUser = document.getElementById('add-user');
  addUser.addEventListener('submit', async event => {
    event.preventDefault();
    try {
      await api('POST', '/api/security/users', Object.fromEntries(new FormData(addUser)));
      await route();
      notice('Password set.');
    } catch (e) {
      formError(addUser, e);
    }
  });
  view.querySelectorAll('.delete-user').forEach(button => button.addEventListener('click', async () => {
    const name = button.dataset.name;
    if (!(await confirmByName('user', name))) return;
    try {
      await api('DELETE', `/api/security/users/${encodeURIComponent(name)}?confirm=${encodeURIComponent(name)}`);
      await route();
    } catch (e) {
      showError(e.message);
    }
  }));
  const addAcl = document.getElementById('add-acl');
  addAcl.addEventListener('submit', async event => {
    event.preventDefault();
    try {
      await api('POST', '/api/security/acls', Object.fromEntries(new FormData(addAcl)));
      await route();
      notice('ACL added.');
    } catch (e) {
      formError(addAcl, e);
    }
  });
  view.querySelectorAll('.remove-acl').forEach(button => button.addEventListener('click', async () => {
    try {
      await api('POST', '/api/security/acls/remove', acls[Number(button.dataset.index)]);
      await route();
    } catch (e) {
      showError(e.message);
    }
  }));
}

// ---- JMS ----------------------------------------------------------------------------------------------------------

async function jmsPage() {
  const render = async () => {
    const [queues, topics, listing] = await Promise.all([api('GET', '/api/jms/queues'),
      api('GET', '/api/jms/topics'), api('GET', '/api/jms/connections')]);
    const connections = listing.connections;
    view.innerHTML = `<h1>JMS</h1>
      <p class="muted">A JMS queue is a topic consumed by share group <code>jms.queue.&lt;queue&gt;</code>; a JMS topic's
        durable and shared subscriptions are share groups too (see docs/jms-mapping.md). They appear once a JMS
        consumer has used them.</p>
      <h2>Queues</h2>
      ${queues.length === 0 ? '<p class="muted" id="no-queues">No JMS queue has had a consumer yet.</p>'
        : `<table id="queues"><tr><th>Queue</th><th>State</th><th class="num">Depth</th><th class="num">In flight</th>
          <th class="num">Consumers</th><th>Dead-letter queue</th><th class="num">Dead letters</th></tr>
          ${queues.map(q => `<tr data-queue="${esc(q.name)}"><td><a href="#/jms/queues/${encodeURIComponent(q.name)}">${esc(q.name)}</a></td>
            <td><span class="tag">${esc(q.state)}</span></td><td class="num">${q.depth}</td><td class="num">${q.inFlight}</td>
            <td class="num">${q.consumers}</td><td>${esc(q.deadLetterQueue)}</td>
            <td class="num">${q.deadLetters > 0 ? `<span class="tag bad">${q.deadLetters}</span>` : 0}</td></tr>`).join('')}</table>`}
      <h2>Topics and subscriptions</h2>
      ${topics.length === 0 ? '<p class="muted" id="no-subscriptions">No JMS topic has a durable, shared or selector subscription.</p>'
        : `<table id="subscriptions"><tr><th>Topic</th><th>Subscription</th><th>Kind</th><th>Client id</th><th>State</th>
          <th class="num">Consumers</th><th class="num">Backlog</th><th class="num">In flight</th><th>Share group</th></tr>
          ${topics.flatMap(t => t.subscriptions.map(s => `<tr data-subscription="${esc(s.group)}">
            <td><a href="#/topics/${encodeURIComponent(t.name)}">${esc(t.name)}</a></td><td>${esc(s.name)}</td>
            <td><span class="tag">${esc(s.kind)}</span></td><td>${esc(s.clientId || '–')}</td><td>${esc(s.state)}</td>
            <td class="num">${s.consumers}</td><td class="num">${s.backlog}</td><td class="num">${s.inFlight}</td>
            <td class="hdr">${esc(s.group)}</td></tr>`)).join('')}</table>`}
      <h2>Connected clients</h2>
      ${listing.unreachableBrokers.length === 0 ? '' : `<p class="form-error" id="unreachable-brokers">Broker(s)
        ${esc(listing.unreachableBrokers.join(', '))} did not answer: their connections are missing.</p>`}
      ${connections.length === 0 ? '<p class="muted" id="no-connections">No JMS connection is open.</p>'
        : `<table id="connections"><tr><th>Client id</th><th>Connection</th><th>User</th><th>Host</th><th>Connected since</th>
          <th class="num">Sessions</th><th class="num">Producers</th><th class="num">Consumers</th><th>Consuming</th></tr>
          ${connections.map(c => `<tr data-connection="${esc(c.connectionId)}"><td>${esc(c.clientId || '–')}</td>
            <td class="hdr">${esc(c.connectionId)}</td><td>${esc(c.user || '–')}</td><td>${esc(c.clientHost)}</td>
            <td>${c.sinceMs > 0 ? esc(time(c.sinceMs)) : '–'}</td><td class="num">${c.sessions}</td>
            <td class="num">${c.producers}</td><td class="num">${c.consumers}</td>
            <td>${c.consuming.map(d => `<span class="tag">${esc(d)}</span>`).join(' ') || '–'}</td></tr>`).join('')}</table>`}`;
  };
  await render();
  every(3000, () => render().catch(e => showError(e.message)));
}

async function queuePage(name, params) {
  const partition = Number(params.get('partition') || 0);
  const offset = Number(params.get('offset') || 0);
  const [state, dead] = await Promise.all([
    api('GET', `/api/jms/queues/${encodeURIComponent(name)}`),
    api('GET', `/api/jms/queues/${encodeURIComponent(name)}/dlq/messages?partition=${partition}&offset=${offset}&limit=20`)
      // no DLQ topic yet (404), or a user without READ on it (403): the rest of the page still shows
      .catch(e => (e.status === 404 ? null : e.status === 403 ? { refused: e.message, messages: [] } : Promise.reject(e))),
  ]);
  const q = state.queue;
  const header = (m, key) => {
    const h = m.headers.find(x => x.key === key);
    return h && h.value ? h.value.text : '';
  };
  const body = d => (d === null ? '<span class="muted">null</span>' : `<pre>${esc(d.text !== null ? d.text : d.base64)}</pre>`);
  view.innerHTML = `<h1>Queue ${esc(name)}</h1>
    <div class="cards">
      <div class="card"><div class="label">Depth</div><div class="value" id="depth">${q.depth}</div></div>
      <div class="card"><div class="label">In flight</div><div class="value" id="in-flight">${q.inFlight}</div></div>
      <div class="card"><div class="label">Consumers</div><div class="value" id="consumers">${q.consumers}</div></div>
      <div class="card"><div class="label">Dead letters</div><div class="value" id="dead-letters">${q.deadLetters}</div></div>
    </div>
    <h2>Partitions</h2>
    <table id="queue-partitions"><tr><th class="num">Partition</th><th class="num">Log start</th><th class="num">High watermark</th>
      <th class="num">Waiting</th><th class="num">In flight</th></tr>
      ${state.partitionStates.map(p => `<tr><td class="num">${p.partition}</td><td class="num">${p.logStartOffset}</td>
        <td class="num">${p.highWatermark}</td><td class="num">${p.pending}</td><td class="num">${p.inFlight}</td></tr>`).join('')}</table>
    <h2>Consumers</h2>
    ${state.consumers.length === 0 ? '<p class="muted" id="no-consumers">No consumer is connected.</p>'
      : `<table id="queue-consumers"><tr><th>Client</th><th>Host</th><th>Partitions</th><th>Member</th></tr>
        ${state.consumers.map(c => `<tr><td>${esc(c.clientId)}</td><td>${esc(c.clientHost)}</td>
          <td>${c.partitions.join(', ')}</td><td class="hdr">${esc(c.memberId)}</td></tr>`).join('')}</table>`}
    <h2>Dead-letter queue ${esc(q.deadLetterQueue)}</h2>
    <div class="toolbar">
      <form id="dlq-browse" class="row"><label>Partition <input name="partition" type="number" min="0" value="${partition}" style="width:80px"></label>
        <label>From offset <input name="offset" type="number" min="0" value="${offset}" style="width:110px"></label>
        <button id="dlq-browse-button">Show</button></form>
      <button class="primary" id="retry-dlq" ${q.deadLetters === 0 ? 'disabled' : ''}>Move all back to the queue</button>
      <button class="danger" id="purge-dlq" ${q.deadLetters === 0 ? 'disabled' : ''}>Purge</button>
    </div>
    ${dead !== null && dead.refused ? `<p class="muted" id="dead-letters-refused">${esc(dead.refused)}</p>`
      : dead === null || dead.messages.length === 0 ? '<p class="muted" id="no-dead-letters">No dead letter here.</p>'
      : `<table id="dead-letters-table"><tr><th class="num">Offset</th><th>Time</th><th>Reason</th><th>From</th><th>Value</th></tr>
        ${dead.messages.map(m => `<tr data-offset="${m.offset}"><td class="num">${m.offset}</td><td>${esc(time(m.timestamp))}</td>
          <td>${esc(header(m, 'JMS_Herald_DLQReason'))}</td>
          <td class="hdr">${esc(header(m, 'JMS_Herald_DLQTopic'))}-${esc(header(m, 'JMS_Herald_DLQPartition'))}@${esc(header(m, 'JMS_Herald_DLQOffset'))}</td>
          <td>${body(m.value)}</td></tr>`).join('')}</table>`}
    <h2>Share group ${esc(q.group)}</h2>
    <table id="queue-configs"><tr><th>Config</th><th>Value</th></tr>
      ${Object.entries(state.configs).map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`).join('')}</table>`;
  const browse = document.getElementById('dlq-browse');
  browse.addEventListener('submit', event => {
    event.preventDefault();
    const f = new FormData(browse);
    location.hash = `#/jms/queues/${encodeURIComponent(name)}?partition=${f.get('partition')}&offset=${f.get('offset')}`;
  });
  document.getElementById('retry-dlq').addEventListener('click', async () => {
    try {
      const r = await api('POST', `/api/jms/queues/${encodeURIComponent(name)}/dlq/retry`, {});
      await route();
      notice(`${r.messages} message(s) moved back to queue ${name}.`);
    } catch (e) {
      showError(e.message);
    }
  });
  document.getElementById('purge-dlq').addEventListener('click', async () => {
    if (!(await confirmByName('every dead letter of queue', name))) return;
    try {
      const r = await api('DELETE', `/api/jms/queues/${encodeURIComponent(name)}/dlq/messages?confirm=${encodeURIComponent(name)}`);
      await route();
      notice(`${r.messages} dead letter(s) removed.`);
    } catch (e) {
      showError(e.message);
    }
  });
}

// ---- features -----------------------------------------------------------------------------------------------------

/** Shows the JMS and security pages in the menu only where the broker has them. */
async function features() {
  for (const feature of ['jms', 'security']) {
    try {
      const status = await api('GET', '/api/' + feature);
      // users and ACLs are for admins only; other roles would see only refusals there
      const allowed = feature !== 'security' || !session.securityEnabled || session.role === 'ADMIN';
      document.querySelector(`header nav a[data-nav=${feature}]`).hidden = !status.available || !allowed;
    } catch (e) {
      // the menu keeps the link; the page itself will show the error
    }
  }
}

// ---- login --------------------------------------------------------------------------------------------------------

function loginPage() {
  timers.forEach(clearInterval);
  timers = [];
  showError('');
  document.querySelectorAll('header nav a').forEach(a => a.classList.remove('active'));
  view.innerHTML = `<h1>Log in</h1>
    <p class="muted">This broker has security on: log in with your Herald user (the same user name and password as
      your Kafka or JMS clients' SCRAM credentials).</p>
    <form class="panel" id="login" style="max-width:420px">
      <label>User <input name="user" autocomplete="username" required autofocus></label>
      <label style="margin-top:10px">Password <input name="password" type="password" autocomplete="current-password" required></label>
      <div class="row" style="margin-top:14px"><button class="primary" id="login-button">Log in</button></div>
    </form>`;
  const form = document.getElementById('login');
  form.addEventListener('submit', async event => {
    event.preventDefault();
    try {
      session = await api('POST', '/api/session', Object.fromEntries(new FormData(form)));
      showUser();
      features();
      await route();
    } catch (e) {
      formError(form, e);
    }
  });
}

/** The user and role in the header, with a logout button, when the console has logins. */
function showUser() {
  const who = document.getElementById('user');
  const logout = document.getElementById('logout');
  const on = session.securityEnabled && session.authenticated;
  who.hidden = !on;
  logout.hidden = !on;
  who.textContent = on ? `${session.user} (${String(session.role || '').toLowerCase()})` : '';
  document.body.classList.toggle('role-viewer', on && session.role === 'VIEWER');
  document.querySelector('header nav').style.visibility = session.securityEnabled && !on ? 'hidden' : '';
}

async function logout() {
  try {
    await api('DELETE', '/api/session');
  } finally {
    session = { securityEnabled: true, authenticated: false };
    showUser();
    loginPage();
  }
}

async function start() {
  try {
    session = await api('GET', '/api/session');
  } catch (e) {
    showError(e.message);
  }
  document.getElementById('logout').addEventListener('click', logout);
  showUser();
  if (session.authenticated || !session.securityEnabled) {
    features();
  }
  await route();
}

window.addEventListener('hashchange', route);
start();
