-- Only adds indexes, so it also runs on a baselined Flask-Security database.
-- Case-insensitive identity lookups are "lower(col) = lower(?)", the same expression Flask-Security
-- uses; SQLite uses an expression index when the query repeats the indexed expression. UNIQUE makes
-- "A@x" and "a@x" collide in the database itself, which also settles concurrent registrations.
CREATE UNIQUE INDEX ux_user_email_lower ON user (lower(email));
CREATE UNIQUE INDEX ux_user_username_lower ON user (lower(username));
-- fsqla declares no index on the link table; loading a user's roles filters on user_id.
CREATE INDEX ix_roles_users_user_role ON roles_users (user_id, role_id);
