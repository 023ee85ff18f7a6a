// @shipshape/stack — the real Shipshape system on this machine: service processes, runtime
// settings through Redis overrides, and the pieces `npm start` and `npm run chaos` are made of.

// Starting the system
export { startStack, type Stack } from './stack.ts';
export { stackDefaults, type LogMode, type StackOptions } from './stack-options.ts';
export type { ProcessExit, ServiceProcess } from './service-process.ts';
export {
  defaultPorts,
  isServiceName,
  repositoryRoot,
  serviceDirectory,
  serviceNames,
  type ServiceName,
} from './services.ts';

// Runtime settings (chaos.*, rateLimit.*, …) through Redis overrides
export { applyOverrides, clearServiceOverrides, currentOverrides } from './overrides/apply-overrides.ts';
export {
  validateOverrides,
  type OverrideValue,
  type ValidateOverridesOptions,
  type ValidatedOverride,
  type ValidatedOverrides,
} from './overrides/validate-overrides.ts';
export {
  InvalidOverridesError,
  isInvalidOverridesError,
  type OverrideProblem,
} from './overrides/invalid-overrides-error.ts';
