-- Token revocation: every token carries the version its user had at login; "log out
-- everywhere" bumps it, deleting the account removes the row. Existing users start at 0.
ALTER TABLE identity.users ADD COLUMN token_version integer NOT NULL DEFAULT 0;
