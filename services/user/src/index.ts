// Public surface of the user service: the HTTP app, its configuration and the data layer.

// HTTP
export { createApp, type AppDeps } from './app.ts';
export { configSchema, staticConfigKeys, type ServiceConfig } from './config.ts';
export type { UserStore } from './http/user-routes.ts';

// Schemas (request validation and the OpenAPI document share them)
export {
  createUserBodySchema,
  cursorSchema,
  defaultPageLimit,
  emailSchema,
  idSchema,
  listUsersQuerySchema,
  maxEmailLength,
  maxNameLength,
  maxPageLimit,
  nameSchema,
  normalizeEmail,
  problemSchema,
  userPageSchema,
  userParamsSchema,
  userSchema,
  type CreateUserBody,
  type ListUsersQuery,
  type User,
  type UserPage,
} from './schemas.ts';
export { buildOpenApiDocument, type JsonObject } from './openapi.ts';

// Errors
export { errorCatalogue, errorCodes, problem, type ErrorCode, type Problem } from './errors.ts';
export { problemType, problemTypeBase } from '@shipshape/service-kit';
export type { ErrorEntry, ProblemFieldError } from '@shipshape/service-kit';
export { EmailTakenError, isEmailTakenError } from './errors/email-taken-error.ts';
export { InvalidCursorError, isInvalidCursorError } from './errors/invalid-cursor-error.ts';

// Storage
export {
  clusterUserKeys,
  keyPrefix,
  keys,
  nodeUserKeys,
  userKeyLayout,
  type UserKeyLayout,
} from './storage/keys.ts';
export {
  UserRepository,
  type ListUsersOptions,
  type UserRepositoryOptions,
} from './storage/user-repository.ts';
