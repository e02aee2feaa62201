-- Flask-Security's packaged fsqla v3 tables as SQLAlchemy creates them on PostgreSQL (same names,
-- types and constraints), so Flask-Security can open a database that Gatehouse created. Only the
-- column defaults differ: they give UTC, where now() would give the session's local time.
-- An existing Flask-Security database is baselined at this version instead.
-- "user" is a reserved word in PostgreSQL and must stay quoted.
CREATE TABLE role (
    id SERIAL NOT NULL,
    name VARCHAR(80) NOT NULL,
    description VARCHAR(255),
    permissions TEXT,
    update_datetime TIMESTAMP WITHOUT TIME ZONE DEFAULT (now() AT TIME ZONE 'utc') NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (name)
);

CREATE TABLE "user" (
    id SERIAL NOT NULL,
    email VARCHAR(255) NOT NULL,
    active BOOLEAN NOT NULL,
    fs_uniquifier VARCHAR(64) NOT NULL,
    confirmed_at TIMESTAMP WITHOUT TIME ZONE,
    last_login_at TIMESTAMP WITHOUT TIME ZONE,
    current_login_at TIMESTAMP WITHOUT TIME ZONE,
    last_login_ip VARCHAR(64),
    current_login_ip VARCHAR(64),
    login_count INTEGER,
    tf_primary_method VARCHAR(64),
    tf_totp_secret VARCHAR(255),
    tf_phone_number VARCHAR(128),
    create_datetime TIMESTAMP WITHOUT TIME ZONE DEFAULT (now() AT TIME ZONE 'utc') NOT NULL,
    update_datetime TIMESTAMP WITHOUT TIME ZONE DEFAULT (now() AT TIME ZONE 'utc') NOT NULL,
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
);

CREATE TABLE roles_users (
    user_id INTEGER,
    role_id INTEGER,
    FOREIGN KEY (user_id) REFERENCES "user" (id),
    FOREIGN KEY (role_id) REFERENCES role (id)
);
