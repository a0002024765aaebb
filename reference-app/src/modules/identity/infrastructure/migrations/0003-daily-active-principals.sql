-- Daily active users as the app observes them: one row per user per UTC day on which the user
-- started a session. archfit's sustained-dau trigger reads the daily counts (ADR-0020). No
-- foreign key: deleting an account must not rewrite how many people were active that day.
CREATE TABLE identity.daily_active_principals (
  day date NOT NULL,
  user_id uuid NOT NULL,
  PRIMARY KEY (day, user_id)
);
