import { brandError, errorBrand, hasBrand } from '@shipshape/service-kit';

const brand = '@shipshape/user-service/EmailTakenError';

/**
 * Thrown by `createUser` when another user already holds the email, compared case-insensitively.
 * The check and the write happen in one Lua script, so two concurrent creations cannot both win.
 */
export class EmailTakenError extends Error {
  /** Stable machine-readable code (see the error catalogue). */
  readonly code = 'email_taken' as const;
  /** The email as the caller sent it. */
  readonly email: string;
  declare readonly [errorBrand]: string;

  constructor(email: string, options?: ErrorOptions) {
    super(`a user with email "${email}" already exists`, options);
    this.name = 'EmailTakenError';
    this.email = email;
    brandError(this, brand);
  }
}

/** True for an {@link EmailTakenError}, also one created by another copy of this module. */
export function isEmailTakenError(value: unknown): value is EmailTakenError {
  return hasBrand(value, brand);
}
