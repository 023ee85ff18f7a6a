// The console server's API as the page uses it: the admin token lives in sessionStorage and
// goes in the Authorization header of each control (never in a cookie).
import type { ConsoleInfo } from '../shared/console-state.ts';

const tokenKey = 'shipshape-console-token';

/** Takes `#token=…` from the address (then removes it from the address bar) or the stored one. */
export function adminToken(): string | undefined {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(tokenKey, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(tokenKey) ?? undefined;
}

/** Stores the token typed into the banner. */
export function setAdminToken(token: string): void {
  sessionStorage.setItem(tokenKey, token);
}

/** `GET /api/info`. */
export async function fetchInfo(): Promise<ConsoleInfo> {
  const res = await fetch('/api/info');
  return (await res.json()) as ConsoleInfo;
}

/** A control the server refused or that failed. */
export class ControlError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** `POST` a control with the admin token; resolves with the answer, rejects with a {@link ControlError}. */
export async function control(path: string, body: unknown): Promise<unknown> {
  const token = adminToken();
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const answer = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
  if (!res.ok) throw new ControlError(res.status, answer.code ?? 'error', answer.message ?? res.statusText);
  return answer;
}
