/**
 * The OpenAPI 3.1 document of the user service, generated from the zod schemas in `schemas.ts`
 * (the same ones that validate requests) by the builder the services share.
 */
import { buildServiceOpenApiDocument, type JsonObject } from '@shipshape/service-kit';
import { errorCatalogue } from './errors.ts';
import {
  createUserBodySchema,
  listUsersQuerySchema,
  problemSchema,
  userPageSchema,
  userParamsSchema,
  userSchema,
} from './schemas.ts';

export type { JsonObject } from '@shipshape/service-kit';

/** Builds the OpenAPI 3.1 document served at `GET /openapi.json`. */
export function buildOpenApiDocument(options: { version?: string } = {}): JsonObject {
  return buildServiceOpenApiDocument({
    title: 'Shipshape user service',
    version: options.version,
    description: 'Users with unique, case-insensitive email and cursor-paginated listing.',
    catalogue: errorCatalogue,
    requestSchemas: { CreateUserRequest: createUserBodySchema },
    responseSchemas: { User: userSchema, UserPage: userPageSchema, Problem: problemSchema },
    routes: ({ json, parameters, problems, everyRequest, withBody }) => ({
      '/users': {
        post: {
          operationId: 'createUser',
          requestBody: { required: true, content: json('CreateUserRequest') },
          responses: {
            '201': { description: 'Created', content: json('User') },
            ...problems([...withBody, 'email_taken', ...everyRequest]),
          },
        },
        get: {
          operationId: 'listUsers',
          parameters: parameters('query', listUsersQuerySchema),
          responses: {
            '200': { description: 'One page of users, oldest first', content: json('UserPage') },
            ...problems(['validation_failed', 'invalid_cursor', ...everyRequest]),
          },
        },
      },
      '/users/{id}': {
        get: {
          operationId: 'getUser',
          parameters: parameters('path', userParamsSchema),
          responses: {
            '200': { description: 'The user', content: json('User') },
            ...problems(['validation_failed', 'not_found', ...everyRequest]),
          },
        },
      },
    }),
  });
}
