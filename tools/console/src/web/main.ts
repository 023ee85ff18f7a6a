// The console page: reads /api/info once, follows the server's event stream and wires the
// controls. Without a valid admin token every control is disabled and a banner says why.
import type { StreamEvents } from '../shared/console-state.ts';
import { adminToken, control, ControlError, fetchInfo, setAdminToken } from './api.ts';
import { Charts } from './charts.ts';
import { renderChaos, renderDeadLetters, renderLoadForm, renderOverrides } from './controls.ts';
import { renderExperimentForm, renderExperiments } from './experiments.ts';
import { el } from './format.ts';
import './style.css';
import { renderTopology } from './topology.ts';

const $ = (id: string): HTMLElement => document.getElementById(id)!;

function setReadOnly(readOnly: boolean, message: string, askToken: boolean): void {
  document.body.classList.toggle('read-only', readOnly);
  for (const node of document.querySelectorAll<HTMLInputElement | HTMLButtonElement>('[data-control]'))
    node.disabled = readOnly;
  const banner = $('banner');
  banner.hidden = !readOnly;
  if (!readOnly) return;
  banner.replaceChildren(el('b', {}, 'Read-only. '), message);
  if (askToken) {
    const input = el('input', {
      id: 'token-input',
      type: 'password',
      placeholder: 'admin token',
      autocomplete: 'off',
    });
    const use = el('button', { id: 'token-use' }, 'use token');
    use.addEventListener('click', () => {
      setAdminToken(input.value.trim());
      void checkToken();
    });
    banner.append(' ', input, use);
  }
}

let controlsConfigured = false;

async function checkToken(): Promise<void> {
  if (!controlsConfigured)
    return setReadOnly(
      true,
      'The console was started without the system admin token (ADMIN__TOKEN or --admin-token): it shows the system but changes nothing.',
      false,
    );
  if (!adminToken())
    return setReadOnly(true, 'Controls need the system admin token (npm start prints it). ', true);
  try {
    await control('/api/session', {});
    setReadOnly(false, '', false);
  } catch (error) {
    const refused = error instanceof ControlError && error.status === 401;
    setReadOnly(true, refused ? 'That admin token was refused. ' : `${(error as Error).message} `, true);
  }
}

async function main(): Promise<void> {
  const info = await fetchInfo();
  controlsConfigured = info.controlsConfigured;
  const charts = new Charts($('chart-rates'), $('chart-queue'));
  renderChaos($('chaos'), info);
  const showLoad = renderLoadForm($('load'));
  renderDeadLetters($('dead-letters'));
  renderExperimentForm($('experiment-form'), info);
  renderExperiments($('experiments'), []);
  if (!info.redisConfigured)
    $('chaos').prepend(el('p', { class: 'note error' }, 'No Redis URL given: chaos and replay are off.'));
  await checkToken();
  window.addEventListener('hashchange', () => {
    if (location.hash.includes('token=')) void checkToken();
  });

  const stream = new EventSource('/api/stream');
  const on = <K extends keyof StreamEvents>(event: K, handle: (data: StreamEvents[K]) => void): void =>
    stream.addEventListener(event, (e) =>
      handle(JSON.parse((e as MessageEvent<string>).data) as StreamEvents[K]),
    );
  stream.addEventListener('open', () => {
    $('connection').textContent = 'live';
    $('connection').className = 'pill live';
  });
  stream.addEventListener('error', () => {
    $('connection').textContent = 'reconnecting…';
    $('connection').className = 'pill down';
  });
  on('snapshot', (snapshot) => {
    renderTopology($('topology'), snapshot);
    $('topology').dataset['system'] = snapshot.system;
    const following =
      snapshot.system === 'this system' ? '' : `showing the ${snapshot.system} while it runs · `;
    $('window').textContent =
      `${following}rates and p99 over the last ${snapshot.windowSeconds.toFixed(0)} s, scraped ${new Date(snapshot.at).toLocaleTimeString()}`;
    charts.add(snapshot);
  });
  on('load', showLoad);
  on('experiments', (runs) => renderExperiments($('experiments'), runs));
  on('chaos', (overrides) => renderOverrides($('chaos'), overrides));
}

void main();
