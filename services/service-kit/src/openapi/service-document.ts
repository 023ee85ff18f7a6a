import type { z } from 'zod';
import type { ErrorEntry } from '../errors/error-catalogue.ts';
import { components, jsonContent, type JsonObject } from './components.ts';
import { parameters, type ParameterLocation } from './parameters.ts';
import {
  everyRequestCodes,
  problemResponses,
  withBodyCodes,
  type CommonErrorCode,
} from './problem-responses.ts';

/** What a service's `routes` callback gets to describe its own operations. */
export interface OpenApiHelpers<Code extends string> {
  /** `application/json` content referencing a component schema by name. */
  readonly json: (ref: string) => JsonObject;
  /** Parameters from the fields of a zod object. */
  readonly parameters: (where: ParameterLocation, schema: z.ZodObject) => JsonObject[];
  /** Problem responses for codes of the service catalogue, grouped by status. */
  readonly problems: (codes: readonly Code[]) => Record<string, JsonObject>;
  /** Codes any request may meet. */
  readonly everyRequest: readonly Code[];
  /** Codes any request with a JSON body may meet. */
  readonly withBody: readonly Code[];
}

/** Options of {@link buildServiceOpenApiDocument}. */
export interface ServiceOpenApiOptions<Code extends string> {
  /** `info.title`. */
  readonly title: string;
  /** `info.description`. */
  readonly description: string;
  /**
   * `info.version`.
   * @default '0.1.0'
   */
  readonly version?: string | undefined;
  /**
   * The service's error catalogue; problem responses take their status and title from it. It
   * must hold the {@link CommonErrorCode}s, which every route may answer.
   */
  readonly catalogue: Readonly<Record<Code | CommonErrorCode, ErrorEntry>>;
  /** Request bodies by component name, emitted as the client may send them. */
  readonly requestSchemas: Readonly<Record<string, z.ZodType>>;
  /** Responses by component name (a `Problem` among them), emitted as the server sends them. */
  readonly responseSchemas: Readonly<Record<string, z.ZodType>>;
  /** The service's own paths; the operational ones every service has are appended. */
  readonly routes: (helpers: OpenApiHelpers<Code | CommonErrorCode>) => Record<string, JsonObject>;
}

const plain = (description: string): JsonObject => ({ description });

/** The operational routes every service answers the same way. */
const operationalPaths: Record<string, JsonObject> = {
  '/health': { get: { operationId: 'health', responses: { '200': plain('The process is alive') } } },
  '/ready': {
    get: {
      operationId: 'ready',
      responses: { '200': plain('Ready'), '503': plain('Not ready; the body lists the failing checks') },
    },
  },
  '/metrics': {
    get: {
      operationId: 'metrics',
      responses: { '200': plain('Prometheus text format, or OpenMetrics when asked') },
    },
  },
  '/openapi.json': { get: { operationId: 'openapi', responses: { '200': plain('This document') } } },
  '/config': {
    get: {
      operationId: 'config',
      security: [{ adminToken: [] }],
      responses: {
        '200': plain('Effective configuration with the source of each value, secrets redacted'),
        '401': plain('`unauthorized`: no `Authorization: Bearer` admin token'),
        '403': plain('`forbidden`: a wrong token, or no admin token configured (the route fails closed)'),
      },
    },
  },
};

/** The operator bearer token of `/config` and `/admin/*` (`admin.token`). */
const securitySchemes: JsonObject = {
  adminToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'The operator token `admin.token` (file `admin.token` in SECRETS_DIR)',
  },
};

/**
 * Builds the OpenAPI 3.1 document a service serves at `GET /openapi.json`, generated from the
 * zod schemas that also validate its requests, so the two cannot drift.
 */
export function buildServiceOpenApiDocument<Code extends string>(
  options: ServiceOpenApiOptions<Code>,
): JsonObject {
  const schemas = {
    ...components('input', options.requestSchemas),
    ...components('output', options.responseSchemas),
  };
  const helpers: OpenApiHelpers<Code | CommonErrorCode> = {
    json: jsonContent,
    parameters,
    problems: (codes) => problemResponses(options.catalogue, codes),
    everyRequest: everyRequestCodes,
    withBody: withBodyCodes,
  };
  return {
    openapi: '3.1.0',
    info: { title: options.title, version: options.version ?? '0.1.0', description: options.description },
    paths: { ...options.routes(helpers), ...structuredClone(operationalPaths) },
    components: { schemas, securitySchemes: structuredClone(securitySchemes) },
  };
}
