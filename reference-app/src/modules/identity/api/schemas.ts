import { Type, type Static } from '@sinclair/typebox';
import { Body, StringEnum, Timestamp, Uuid } from '../../../shared/http/schemas.js';
import { ROLES, SELF_SERVICE_ROLES } from '../domain/roles.js';

const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254 });
const Password = Type.String({ minLength: 1, maxLength: 200 });
const DisplayName = Type.String({ minLength: 1, maxLength: 80 });

export const LoginBody = Body({ email: Email, password: Password, context: StringEnum(ROLES) });
export const SessionResponse = Type.Object({
  token: Type.String(),
  tokenType: Type.Literal('Bearer'),
  context: Type.String(),
  userId: Uuid,
  expiresAt: Timestamp,
});

export const SignUpBody = Body({
  email: Email,
  password: Password,
  displayName: DisplayName,
  roles: Type.Optional(Type.Array(StringEnum(SELF_SERVICE_ROLES), { minItems: 1, maxItems: 2, uniqueItems: true })),
});
/** Deleting an account asks for the password again: a stolen token alone is not enough. */
export const DeleteAccountBody = Body({ password: Password });

export const CreateUserBody = Body({
  email: Email,
  password: Password,
  displayName: DisplayName,
  roles: Type.Array(StringEnum(ROLES), { minItems: 1, maxItems: 3, uniqueItems: true }),
});

/** The public shape of a user (no password hash, ever). */
export const UserDto = Type.Object({
  id: Uuid,
  email: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Type.String()),
  createdAt: Timestamp,
});
export type UserDto = Static<typeof UserDto>;
