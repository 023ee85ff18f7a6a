// Test-only helpers of the services (`@shipshape/service-kit/testing`). Never import this from
// service runtime code: it pulls in vitest.

// Redis
export { scanAllKeys, useRedisClients } from './redis-clients.ts';

// Error catalogue documentation
export { expectErrorTableMatches, parseErrorTable, readErrorTable } from './readme-error-table.ts';

// OpenAPI documents
export { inspectOpenApiDocument, type OpenApiDocumentView } from './openapi-document.ts';

// Multi-process tests
export {
  runFixtureProcesses,
  runRedisFixtureProcesses,
  startFixtureProcess,
  type FixtureProcess,
  type FixtureRunOptions,
  type RedisFixtureOptions,
} from './fixture-process.ts';
export { openFixtureClients } from './fixture-clients.ts';

// Service apps
export {
  defineAppStarter,
  sendJson,
  useServiceApp,
  type AppStarter,
  type RunningServiceApp,
  type SendJsonInit,
  type ServiceTestBody,
  type StartServiceAppOptions,
  type TestServiceContext,
  type UseServiceAppOptions,
} from './service-app.ts';
export {
  describeOperationalCases,
  type OperationalCasesApp,
  type OperationalCasesOptions,
} from './operational-cases.ts';
export { describeMainCases, type MainCasesOptions } from './main-cases.ts';
export { describeBadInputCases, utf8BadInputs, type BadInput } from './bad-input-cases.ts';
