// Shared set-up for the client tests: servers and clients closed after each test, and a
// manual clock for the parts of the client that read time (deadlines, ejection, breakers).
import { afterEach } from 'vitest';
import { createServiceClient, type ServiceClient, type ServiceClientOptions } from '../../src/http/index.ts';
import { startFaultServer, type FaultServer } from './fault-server.ts';

/** Registers cleanup and returns factories for servers and clients. */
export function useFixtures(): {
  server: (options?: Parameters<typeof startFaultServer>[0]) => Promise<FaultServer>;
  client: (options: ServiceClientOptions) => ServiceClient;
} {
  const servers: FaultServer[] = [];
  const clients: ServiceClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });
  return {
    server: async (options) => {
      const s = await startFaultServer(options);
      servers.push(s);
      return s;
    },
    client: (options) => {
      const c = createServiceClient(options);
      clients.push(c);
      return c;
    },
  };
}

/** A clock that only moves when told to. */
export class ManualClock {
  ms = 1_000_000;
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** Runs `fn` and returns its error, or fails when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, it succeeded');
}

/** Counts the requests each server received. */
export function counts(...servers: FaultServer[]): number[] {
  return servers.map((s) => s.requests.length);
}
