-- Flask-Security's packaged fsqla v3 tables as SQLAlchemy creates them on MySQL/MariaDB (same
-- names, types and constraints), so Flask-Security can open a database that Gatehouse created.
-- An existing Flask-Security database is baselined at this version instead.
-- Two deliberate differences, both invisible to Flask-Security:
--  * DATETIME(6) instead of DATETIME: keeps microseconds like every other dialect.
--  * utf8mb4_bin: comparisons are exact (as in PostgreSQL and SQLite); case-insensitive identity
--    lookups go through the lower() columns added in V2, not through an accent- and
--    case-folding collation that would also make "jose@x" equal "josé@x".
CREATE TABLE role (
    id INTEGER NOT NULL AUTO_INCREMENT,
    name VARCHAR(80) NOT NULL,
    description VARCHAR(255),
    permissions TEXT,
    update_datetime DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6) NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE `user` (
    id INTEGER NOT NULL AUTO_INCREMENT,
    email VARCHAR(255) NOT NULL,
    active BOOL NOT NULL,
    fs_uniquifier VARCHAR(64) NOT NULL,
    confirmed_at DATETIME(6),
    last_login_at DATETIME(6),
    current_login_at DATETIME(6),
    last_login_ip VARCHAR(64),
    current_login_ip VARCHAR(64),
    login_count INTEGER,
    tf_primary_method VARCHAR(64),
    tf_totp_secret VARCHAR(255),
    tf_phone_number VARCHAR(128),
    create_datetime DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6) NOT NULL,
    update_datetime DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6) NOT NULL,
    username VARCHAR(255),
    us_totp_secrets TEXT,
    fs_webauthn_user_handle VARCHAR(64),
    mf_recovery_codes TEXT,
    password VARCHAR(255),
    us_phone_number VARCHAR(128),
    PRIMARY KEY (id),
    UNIQUE (email),
    UNIQUE (fs_uniquifier),
    UNIQUE (username),
    UNIQUE (fs_webauthn_user_handle),
    UNIQUE (us_phone_number)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE roles_users (
    user_id INTEGER,
    role_id INTEGER,
    FOREIGN KEY (user_id) REFERENCES `user` (id),
    FOREIGN KEY (role_id) REFERENCES role (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
