import type { Config } from '@shipshape/config';
import type * as z from 'zod';
import type { AdminSettings, TlsSettings } from './security-config.ts';
import type { SecurityConfigSource, SecuritySnapshot } from './service-security.ts';

/** The security view of a loaded configuration whose schema spreads `securityConfigShape`. */
export function securityConfigSource(
  config: Config<z.ZodType<{ tls: TlsSettings; admin: AdminSettings }>>,
): SecurityConfigSource {
  return {
    get: (): SecuritySnapshot => config.get(),
    onChange: (listener) => config.onChange('*', (next, previous) => listener(next, previous)),
  };
}
