-- Only adds columns that nobody writes (virtual, computed) and indexes, so it also runs on a
-- baselined Flask-Security database whatever collation that database uses.
-- MySQL before 8.0.13 and MariaDB have no expression indexes: a VIRTUAL generated column holds
-- lower(col) with a binary collation and carries a unique index; lookups compare it with lower(?).
-- UNIQUE makes "A@x" and "a@x" collide in the database itself, which also settles concurrent
-- registrations. SQLAlchemy names every column it inserts, so Flask-Security never touches these.
ALTER TABLE `user`
    ADD COLUMN email_lower VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin
        GENERATED ALWAYS AS (lower(email)) VIRTUAL,
    ADD COLUMN username_lower VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin
        GENERATED ALWAYS AS (lower(username)) VIRTUAL;
CREATE UNIQUE INDEX ux_user_email_lower ON `user` (email_lower);
CREATE UNIQUE INDEX ux_user_username_lower ON `user` (username_lower);
CREATE INDEX ix_roles_users_user_role ON roles_users (user_id, role_id);
