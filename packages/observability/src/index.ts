// @shipshape/observability — the public surface, grouped by area. `./register` (the
// `node --import` entry) is a separate package export so that importing this barrel never
// starts the SDK as a side effect.
export * from './tracing/index.ts';
export * from './logging/index.ts';
export * from './metrics/index.ts';
export * from './http/index.ts';
export * from './health/index.ts';
export * from './shutdown/index.ts';
