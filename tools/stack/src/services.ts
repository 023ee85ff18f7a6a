import { fileURLToPath } from 'node:url';

/** The services of the system, in start order (order needs user and payment). */
export const serviceNames = ['user', 'payment', 'order'] as const;

/** One of the three services. */
export type ServiceName = (typeof serviceNames)[number];

/** The contract ports (`npm start`); tests and scenarios use free ports instead. */
export const defaultPorts: Readonly<Record<ServiceName, number>> = { user: 3001, order: 3002, payment: 3003 };

/** Whether `name` is one of {@link serviceNames}. */
export function isServiceName(name: string): name is ServiceName {
  return (serviceNames as readonly string[]).includes(name);
}

/** The repository root (this file is `tools/stack/{src,dist}/services.*`). */
export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The folder of a service (`services/<name>`), the working directory of its processes. */
export function serviceDirectory(service: ServiceName): string {
  return `${repositoryRoot}services/${service}`;
}

/** The built entry point of a service (`services/<name>/dist/main.js`). */
export function serviceMain(service: ServiceName): string {
  return `${serviceDirectory(service)}/dist/main.js`;
}
