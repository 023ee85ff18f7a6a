// Public surface of @shipshape/resilience, grouped by area. Internals are not exported.
export * from './policies/index.ts';
export * from './rate-limit/index.ts';
