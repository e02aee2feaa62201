-- H2 has no expression indexes: a generated column holds lower(col) and carries a unique index.
-- Lookups compare that column with lower(?). UNIQUE makes "A@x" and "a@x" collide in the database
-- itself, which also settles concurrent registrations.
ALTER TABLE "user" ADD COLUMN email_lower VARCHAR(255) GENERATED ALWAYS AS (LOWER(email));
ALTER TABLE "user" ADD COLUMN username_lower VARCHAR(255) GENERATED ALWAYS AS (LOWER(username));
CREATE UNIQUE INDEX ux_user_email_lower ON "user" (email_lower);
CREATE UNIQUE INDEX ux_user_username_lower ON "user" (username_lower);
CREATE INDEX ix_roles_users_user_role ON roles_users (user_id, role_id);
