'use strict';
// Flowpay console: plain JavaScript, no build step. The token lives in sessionStorage (this tab only) and goes out as
// an Authorization header; live updates read the API's Server-Sent Events with fetch (EventSource cannot send headers).

const session = {
  get token() { return sessionStorage.getItem('flowpay.token'); },
  get by() { return sessionStorage.getItem('flowpay.by') || 'console'; },
};
let viewAbort = new AbortController();

const $ = (selector, root = document) => root.querySelector(selector);
const esc = (value) => String(value ?? '').replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));
const time = (ms) => ms ? new Date(ms).toISOString().replace('T', ' ').replace('Z', '') : '';
const clock = (ms) => ms ? new Date(ms).toISOString().substring(11, 23) : '';
const badge = (status) => `<span class="badge ${esc(status)}">${esc(status)}</span>`;
const json = (value) => `<pre>${esc(JSON.stringify(value, null, 2))}</pre>`;

class Unauthorized extends Error {}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: Object.assign({Authorization: 'Bearer ' + session.token}, body ? {'Content-Type': 'application/json'} : {}),
    body: body ? JSON.stringify(body) : undefined,
    signal: viewAbort.signal,
  });
  if (response.status === 401) {
    throw new Unauthorized('the token was refused');
  }
  const answer = await response.json();
  if (!response.ok) {
    throw new Error(answer.error ? answer.error.message : 'HTTP ' + response.status);
  }
  return answer;
}

/** Reads a Server-Sent Events stream with fetch; calls onEvent(name, data, id) for each event until it ends. */
async function stream(path, onEvent, signal) {
  const response = await fetch(path, {headers: {Authorization: 'Bearer ' + session.token}, signal});
  if (!response.ok) {
    throw response.status === 401 ? new Unauthorized('the token was refused') : new Error('HTTP ' + response.status);
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const {value, done} = await reader.read();
    if (done) {
      return;
    }
    buffer += decoder.decode(value, {stream: true});
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.substring(0, cut);
      buffer = buffer.substring(cut + 2);
      let name = 'message', id = null, data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) name = line.substring(7);
        else if (line.startsWith('id: ')) id = line.substring(4);
        else if (line.startsWith('data: ')) data += line.substring(6);
      }
      if (data) {
        onEvent(name, JSON.parse(data), id);
      }
    }
  }
}

function flash(message) {
  const box = $('#flash');
  box.textContent = message;
  box.hidden = false;
  setTimeout(() => { box.hidden = true; }, 4000);
}

function failed(error) {
  if (error.name === 'AbortError') return;
  if (error instanceof Unauthorized) {
    logout('Your token was refused: log in again.');
    return;
  }
  flash(error.message);
}

// ---- login ----

function showLogin(message) {
  $('#top').hidden = true;
  $('#view').innerHTML = '';
  $('#login-view').hidden = false;
  $('#login-error').textContent = message || '';
}

function logout(message) {
  sessionStorage.removeItem('flowpay.token');
  viewAbort.abort();
  viewAbort = new AbortController();
  showLogin(message);
}

$('#login').addEventListener('submit', async (event) => {
  event.preventDefault();
  sessionStorage.setItem('flowpay.token', $('#token').value.trim());
  sessionStorage.setItem('flowpay.by', $('#by').value.trim() || 'console');
  try {
    await api('GET', '/v1/workers');
    $('#token').value = '';
    route();
  } catch (error) {
    sessionStorage.removeItem('flowpay.token');
    $('#login-error').textContent = error instanceof Unauthorized
      ? 'That token is not one of FLOWPAY_API_TOKENS.' : 'Cannot reach Flowpay: ' + error.message;
  }
});
$('#logout').addEventListener('click', () => logout(''));
$('#context-search').addEventListener('submit', (event) => {
  event.preventDefault();
  const id = $('#context-input').value.trim();
  if (id) location.hash = '#/context/' + encodeURIComponent(id);
});

// ---- routing ----

const views = {
  chains: showChains,
  chain: showChain,
  context: showContext,
  dead: showDead,
  flows: showFlows,
  workers: showWorkers,
};

function route() {
  $('#view').onclick = null;
  if (!session.token) {
    showLogin();
    return;
  }
  viewAbort.abort();
  viewAbort = new AbortController();
  $('#login-view').hidden = true;
  $('#top').hidden = false;
  $('#who').textContent = 'as ' + session.by;
  const [path, query] = (location.hash.replace(/^#\/?/, '') || 'chains').split('?');
  const [name, ...rest] = path.split('/');
  const show = views[name] || showChains;
  document.querySelectorAll('header nav a').forEach((a) => a.classList.toggle('active', a.id === 'nav-' + name));
  show(decodeURIComponent(rest.join('/')), new URLSearchParams(query || '')).catch(failed);
}
window.addEventListener('hashchange', route);

// ---- chains ----

const SINCE = {'15m': 15 * 60e3, '1h': 3600e3, '24h': 86400e3, '7d': 7 * 86400e3, all: 0};

async function showChains(_, params) {
  const view = $('#view');
  view.innerHTML = `
    <h2>Chains <span class="live" id="chains-live">live</span></h2>
    <form class="filters" id="chain-filters">
      <label>Status <select id="f-status">
        ${['', 'running', 'settled', 'stuck', 'failed'].map((s) => `<option value="${s}">${s || 'any'}</option>`).join('')}
      </select></label>
      <label>Flow <input id="f-flow" placeholder="any flow of the chain"></label>
      <label>Context <input id="f-context" placeholder="context id"></label>
      <label>Since <select id="f-since">${Object.keys(SINCE).map((k) => `<option>${k}</option>`).join('')}</select></label>
      <button class="primary" type="submit">Filter</button>
    </form>
    <div id="chains"></div>`;
  $('#f-status').value = params.get('status') || '';
  $('#f-flow').value = params.get('flow') || '';
  $('#f-context').value = params.get('context') || '';
  $('#f-since').value = params.get('since') || '24h';
  $('#chain-filters').addEventListener('submit', (event) => {
    event.preventDefault();
    const query = new URLSearchParams({status: $('#f-status').value, flow: $('#f-flow').value.trim(),
      context: $('#f-context').value.trim(), since: $('#f-since').value});
    location.hash = '#/chains?' + query;
  });
  const load = () => loadChains(params).catch(failed);
  await load();
  let pending = null;
  stream('/v1/events', () => {
    if (!pending) pending = setTimeout(() => { pending = null; load(); }, 400);
  }, viewAbort.signal).catch(failed);
}

async function loadChains(params) {
  const since = SINCE[params.get('since') || '24h'];
  const query = new URLSearchParams({limit: '200'});
  for (const key of ['status', 'flow', 'context']) {
    if (params.get(key)) query.set(key, params.get(key));
  }
  if (since) query.set('since', new Date(Date.now() - since).toISOString());
  const {chains} = await api('GET', '/v1/chains?' + query);
  $('#chains').innerHTML = chains.length === 0 ? '<p class="empty">No chain matches.</p>' : `
    <table id="chains-table"><thead><tr><th>Chain</th><th>Main flow</th><th>Context</th><th>Status</th><th>Runs</th>
      <th>Failed</th><th>Dead</th><th>Started</th><th>Last run</th></tr></thead><tbody>
    ${chains.map((c) => `<tr class="chain-row" data-chain="${esc(c.chain_id)}">
      <td><a class="chain-link mono" href="#/chain/${esc(c.chain_id)}">${esc(c.chain_id.substring(0, 12))}</a></td>
      <td>${esc(c.flow)}</td>
      <td><a href="#/context/${encodeURIComponent(c.context_id)}">${esc(c.context_id)}</a></td>
      <td>${badge(c.status)}</td><td>${c.runs}</td><td>${c.failed}</td><td>${c.dead}</td>
      <td>${time(c.started_at)}</td><td>${time(c.last_run_at)}</td></tr>`).join('')}
    </tbody></table>`;
}

// ---- one chain ----

async function showChain(id) {
  const view = $('#view');
  view.innerHTML = `
    <h2>Chain <span class="mono">${esc(id)}</span> <span id="chain-status">${badge('loading')}</span>
      <span class="live" id="chain-live">live</span></h2>
    <p class="counters" id="chain-counters"></p>
    <ol id="timeline"></ol>`;
  const seen = new Set();
  const follow = async () => {
    $('#chain-live').hidden = false;
    const path = '/v1/chains/' + encodeURIComponent(id) + '/events';
    await stream(path, (name, data, eventId) => {
      if (name === 'run' && !seen.has(eventId)) {
        seen.add(eventId);
        $('#timeline').insertAdjacentHTML('beforeend', runItem(data, eventId));
        $('#chain-status').innerHTML = badge('running');
      } else if (name === 'end') {
        $('#chain-status').innerHTML = badge(data.status);
        $('#chain-counters').innerHTML = `<span>${data.runs} run(s)</span><span>${data.failed} failed</span>
          <span>${data.dead} dead</span><span>${data.pending} pending</span>`;
        $('#chain-live').hidden = true;
      }
    }, viewAbort.signal);
  };
  $('#timeline').addEventListener('click', (event) => {
    const retry = event.target.closest('button.retry-dead');
    if (retry) {
      retryRun(retry.dataset.worker, retry.dataset.task).then(follow).catch(failed);
      return;
    }
    const summary = event.target.closest('.summary');
    if (summary) summary.parentElement.classList.toggle('open');
  });
  await follow();
}

function runItem(run, eventId) {
  const error = run.error ? `<h3>Error</h3><pre class="run-error">${esc((run.error.file ? run.error.file
    + (run.error.line ? ':' + run.error.line : '') + ': ' : '') + run.error.message)}</pre>` : '';
  const logs = (run.logs || []).map((l) => `<div class="log-${esc(l.level)}">${esc(l.level)}  ${esc(l.message)}</div>`).join('');
  const calls = (run.calls || []).map((c) => `<tr><td class="mono">${esc(c.method)} ${esc(c.path)}</td>
    <td>${json(c.params || {})}</td><td class="mono">${esc(c.idempotency_key)}</td>
    <td>${esc(c.on_success)}<br>${esc(c.on_error)}</td></tr>`).join('');
  const children = (run.dispatches || []).map((d) => `<li>${esc(d.flow)} on ${esc(d.worker_id)} / ${esc(d.context_id)}</li>`)
    .concat((run.timers || []).map((t) => `<li>${esc(t.flow)} on ${esc(t.worker_id)} / ${esc(t.context_id)}
      in ${t.delay_ms} ms (timer)</li>`)).join('');
  const retry = run.status === 'dead' ? `<button class="retry-dead" data-worker="${esc(run.worker_id)}"
    data-task="${esc(run.task_id)}">Retry this task</button>` : '';
  return `<li class="run" data-id="${esc(eventId)}" data-status="${esc(run.status)}" data-flow="${esc(run.flow)}">
    <div class="summary"><span class="mono">${clock(run.started_at)}</span><span>${badge(run.status)}</span>
      <strong class="run-flow">${esc(run.flow)}</strong><span>worker ${esc(run.worker_id)}</span>
      <span>${esc(run.caller_id)}</span><span>${((run.duration_us || 0) / 1000).toFixed(1)} ms</span></div>
    <div class="details">
      <p>context <a href="#/context/${encodeURIComponent(run.context_id)}">${esc(run.context_id)}</a> · task
        <span class="mono">${esc(run.task_id)}</span> · attempt ${esc(run.attempt)} · depth ${esc(run.depth)} ${retry}</p>
      ${error}
      ${logs ? '<h3>Log</h3><pre class="run-logs">' + logs + '</pre>' : ''}
      ${(run.writes || []).length ? '<h3>State written</h3><p class="mono run-writes">' + run.writes.map(esc).join(', ') + '</p>' : ''}
      ${calls ? '<h3>Stripe calls</h3><table class="run-calls"><thead><tr><th>Request</th><th>Params</th>'
        + '<th>Idempotency key</th><th>Answer goes to</th></tr></thead><tbody>' + calls + '</tbody></table>' : ''}
      ${children ? '<h3>Started</h3><ul>' + children + '</ul>' : ''}
      ${run.input !== undefined ? '<h3>Input</h3>' + json(run.input) : ''}
    </div></li>`;
}

async function retryRun(worker, taskId) {
  const {dead} = await api('GET', '/v1/dead/' + encodeURIComponent(worker) + '?limit=1000');
  const letter = dead.find((d) => d.task && d.task.task_id === taskId);
  if (!letter) throw new Error('no dead letter holds task ' + taskId + ' (retried or dropped already?)');
  await api('POST', `/v1/dead/${encodeURIComponent(worker)}/${letter.id}/retry`, {by: session.by});
  flash('retried ' + letter.id);
}

// ---- context ----

async function showContext(id) {
  const {state, runs} = await api('GET', '/v1/contexts/' + encodeURIComponent(id) + '?limit=50');
  $('#view').innerHTML = `
    <h2>Context <span class="mono">${esc(id)}</span></h2>
    <div class="two"><div><h3>State</h3><div id="context-state">${json(state)}</div></div>
    <div><h3>Recent runs</h3><table id="context-runs"><thead><tr><th>Time</th><th>Status</th><th>Flow</th><th>Caller</th>
      <th>Chain</th></tr></thead><tbody>
      ${runs.map((r) => `<tr><td>${time(r.started_at)}</td><td>${badge(r.status)}</td><td>${esc(r.flow)}</td>
        <td>${esc(r.caller_id)}</td><td><a class="mono" href="#/chain/${esc(r.chain_id)}">${esc(r.chain_id.substring(0, 12))}</a></td>
        </tr>`).join('')}</tbody></table></div></div>`;
}

// ---- dead letters ----

async function showDead() {
  const {workers} = await api('GET', '/v1/workers');
  const lists = await Promise.all(workers.map((w) => api('GET', '/v1/dead/' + encodeURIComponent(w.worker_id) + '?limit=200')));
  const letters = lists.flatMap((list) => list.dead);
  $('#view').innerHTML = `<h2>Dead letters</h2>` + (letters.length === 0 ? '<p class="empty">No dead letters.</p>' : `
    <table id="dead-table"><thead><tr><th>Id</th><th>Worker</th><th>Reason</th><th>Flow</th><th>Context</th><th>Chain</th>
      <th>Dead at</th><th>Error</th><th></th></tr></thead><tbody>
    ${letters.map((d) => `<tr class="dead-row" data-id="${esc(d.id)}" data-chain="${esc(d.task && d.task.chain_id)}">
      <td class="mono">${esc(d.id)}</td><td>${esc(d.worker_id)}</td><td>${badge(d.reason)}</td>
      <td>${esc(d.task && d.task.flow)}</td><td>${esc(d.task && d.task.context_id)}</td>
      <td>${d.task ? `<a class="mono" href="#/chain/${esc(d.task.chain_id)}">${esc(d.task.chain_id.substring(0, 12))}</a>` : ''}</td>
      <td>${time(d.dead_at)}</td><td>${esc(d.error)}</td>
      <td><button class="retry" data-worker="${esc(d.worker_id)}" data-id="${esc(d.id)}">Retry</button>
        <button class="drop danger" data-worker="${esc(d.worker_id)}" data-id="${esc(d.id)}">Drop</button></td></tr>`).join('')}
    </tbody></table>`);
  $('#view').onclick = (event) => {
    const button = event.target.closest('button.retry, button.drop');
    if (!button) return;
    const action = button.classList.contains('retry') ? 'retry' : 'drop';
    if (action === 'drop' && !confirm('Drop dead letter ' + button.dataset.id + ' for good?')) return;
    const chain = button.closest('tr').dataset.chain;
    api('POST', `/v1/dead/${encodeURIComponent(button.dataset.worker)}/${button.dataset.id}/${action}`, {by: session.by})
      .then(() => {
        flash(action === 'retry' ? 'retried ' + button.dataset.id : 'dropped ' + button.dataset.id);
        if (action === 'retry' && chain) location.hash = '#/chain/' + chain; else route();
      }).catch(failed);
  };
}

// ---- flows ----

async function showFlows() {
  const {flows} = await api('GET', '/v1/flows');
  $('#view').innerHTML = `<h2>Flows</h2>` + (flows.length === 0 ? '<p class="empty">No flow files.</p>' : `
    <table id="flows-table"><thead><tr><th>Flow</th><th>Status</th><th>Failures in a row</th><th>Last error</th>
      <th>Last failed</th><th>Disabled at</th><th></th></tr></thead><tbody>
    ${flows.map((f) => `<tr class="flow-row" data-flow="${esc(f.flow)}"><td class="mono">${esc(f.flow)}</td>
      <td>${badge(f.status)}</td><td>${f.failures_in_a_row}</td><td>${esc(f.last_error)}</td>
      <td>${time(f.last_failed_at)}</td><td>${time(f.disabled_at)}</td>
      <td>${f.status === 'disabled' ? `<button class="enable primary" data-flow="${esc(f.flow)}">Enable</button>` : ''}</td>
      </tr>`).join('')}</tbody></table>`);
  $('#view').onclick = (event) => {
    const button = event.target.closest('button.enable');
    if (!button) return;
    api('POST', '/v1/flows/enable', {flow: button.dataset.flow})
      .then(() => { flash('enabled ' + button.dataset.flow + ': retry its dead letters'); route(); }).catch(failed);
  };
}

// ---- workers ----

async function showWorkers() {
  const {workers} = await api('GET', '/v1/workers');
  $('#view').innerHTML = `<h2>Workers</h2>
    <table id="workers-table"><thead><tr><th>Worker</th><th>Consumers active</th><th>Queued</th><th>Running</th><th>Lag</th>
      <th>Calls in flight</th><th>Timers</th><th>Dead letters</th></tr></thead><tbody>
    ${workers.map((w) => `<tr class="worker-row" data-worker="${esc(w.worker_id)}"><td class="mono">${esc(w.worker_id)}</td>
      <td>${w.active ? badge('active') : badge('idle')} ${w.consumers.filter((c) => c.live).length} / ${w.consumers.length} (last took a task ${w.consumers.length ? (Math.min(...w.consumers.map((c) => c.idle_ms)) / 1000).toFixed(0) + ' s ago' : 'never'})</td>
      <td>${w.queued}</td><td>${w.running}</td><td>${(w.lag_ms / 1000).toFixed(1)} s</td><td>${w.calls_in_flight}</td>
      <td>${w.timers}</td><td>${w.dead}</td></tr>`).join('')}</tbody></table>`;
}

route();
