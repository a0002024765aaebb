import type { User } from '../domain/user.js';
import type { UserDto } from './schemas.js';

export function toUserDto(user: User): UserDto {
  return { ...user, createdAt: user.createdAt.toISOString() };
}
