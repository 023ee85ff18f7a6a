import { methodNotAllowed } from '@shipshape/observability/http';
import { Router } from 'express';
import {
  createUserBodySchema,
  listUsersQuerySchema,
  userParamsSchema,
  type CreateUserBody,
  type User,
  type UserPage,
} from '../schemas.ts';
import { catalogueProblem } from './map-error.ts';

/** What the routes need of storage (`UserRepository` fits; tests may pass another). */
export interface UserStore {
  createUser(input: CreateUserBody): Promise<User>;
  getUser(id: string): Promise<User | undefined>;
  listUsers(options: { limit: number; cursor?: string | undefined }): Promise<UserPage>;
}

/**
 * `/users` routes. Every input is parsed by the zod schemas that also generate the OpenAPI
 * document; a parse failure throws a ZodError, which the problem handler answers as 400
 * `validation_failed` with every issue listed.
 */
export function userRoutes(store: UserStore): Router {
  const router = Router();
  router
    .route('/users')
    .post(async (req, res) => {
      const body = createUserBodySchema.parse(req.body);
      res.status(201).json(await store.createUser(body));
    })
    .get(async (req, res) => {
      const query = listUsersQuerySchema.parse(req.query);
      res.json(await store.listUsers(query));
    })
    .all(methodNotAllowed(['GET', 'POST']));
  router
    .route('/users/:id')
    .get(async (req, res) => {
      const { id } = userParamsSchema.parse(req.params);
      const user = await store.getUser(id);
      if (!user) throw catalogueProblem('not_found', 'No user with this id.');
      res.json(user);
    })
    .all(methodNotAllowed(['GET']));
  return router;
}
