-- Only adds indexes, so it also runs on a baselined Flask-Security database.
-- Lookups are "lower(col) = lower(?)" (Flask-Security's own expression); PostgreSQL uses an
-- expression index for exactly that expression. UNIQUE makes "A@x" and "a@x" collide in the
-- database itself, which also settles concurrent registrations.
CREATE UNIQUE INDEX ux_user_email_lower ON "user" (lower(email));
CREATE UNIQUE INDEX ux_user_username_lower ON "user" (lower(username));
-- PostgreSQL does not index foreign keys by itself; loading a user's roles filters on user_id.
CREATE INDEX ix_roles_users_user_role ON roles_users (user_id, role_id);
