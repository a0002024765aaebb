import type { Queryable } from '../../../shared/db/transaction.js';
import type { UserRepository } from '../application/ports.js';
import type { Role } from '../domain/roles.js';
import type { User, UserRecord } from '../domain/user.js';

interface UserRow {
  id: string;
  email: string;
  display_name: string;
  roles: Role[];
  created_at: Date;
  password_hash?: string;
  token_version?: number;
}

const COLUMNS = 'id, email, display_name, roles, created_at';

function toUser(row: UserRow): User {
  return { id: row.id, email: row.email, displayName: row.display_name, roles: row.roles, createdAt: row.created_at };
}

function toRecord(row: UserRow & { password_hash: string; token_version: number }): UserRecord {
  return { ...toUser(row), passwordHash: row.password_hash, tokenVersion: row.token_version };
}

export function createPgUserRepository(db: Queryable): UserRepository {
  return {
    async insert(user) {
      const { rows } = await db.query<UserRow>(
        `INSERT INTO identity.users (email, display_name, password_hash, roles) VALUES ($1, $2, $3, $4)
         ON CONFLICT (email) DO NOTHING RETURNING ${COLUMNS}`,
        [user.email, user.displayName, user.passwordHash, user.roles],
      );
      return rows[0] ? toUser(rows[0]) : undefined;
    },
    async findByEmail(email) {
      const { rows } = await db.query<UserRow & { password_hash: string; token_version: number }>(
        `SELECT ${COLUMNS}, password_hash, token_version FROM identity.users WHERE email = $1`,
        [email],
      );
      return rows[0] ? toRecord(rows[0]) : undefined;
    },
    async findRecordById(id) {
      const { rows } = await db.query<UserRow & { password_hash: string; token_version: number }>(
        `SELECT ${COLUMNS}, password_hash, token_version FROM identity.users WHERE id = $1`,
        [id],
      );
      return rows[0] ? toRecord(rows[0]) : undefined;
    },
    async tokenVersion(id) {
      const { rows } = await db.query<{ token_version: number }>(
        'SELECT token_version FROM identity.users WHERE id = $1',
        [id],
      );
      return rows[0]?.token_version;
    },
    async bumpTokenVersion(id) {
      await db.query('UPDATE identity.users SET token_version = token_version + 1 WHERE id = $1', [id]);
    },
    async delete(id) {
      await db.query('DELETE FROM identity.users WHERE id = $1', [id]);
    },
    async findById(id) {
      const { rows } = await db.query<UserRow>(`SELECT ${COLUMNS} FROM identity.users WHERE id = $1`, [id]);
      return rows[0] ? toUser(rows[0]) : undefined;
    },
    async list({ limit, offset }) {
      const { rows } = await db.query<UserRow>(
        `SELECT ${COLUMNS} FROM identity.users ORDER BY created_at, id LIMIT $1 OFFSET $2`,
        [limit, offset],
      );
      return rows.map(toUser);
    },
  };
}
