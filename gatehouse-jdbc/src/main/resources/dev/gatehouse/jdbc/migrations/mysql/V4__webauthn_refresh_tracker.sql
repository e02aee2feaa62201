-- fsqla v3's WebAuthn table (created only when missing: a Flask-Security fsqla v3 database may
-- have it already) and fsqla v4's refresh-token tracker table (Flask-Security 5.9), with the names,
-- types and constraints SQLAlchemy gives them. Both reference the user with ON DELETE CASCADE.
-- MySQL has no CREATE INDEX IF NOT EXISTS: the webauthn indexes are part of its CREATE TABLE.
CREATE TABLE IF NOT EXISTS webauthn (
    id INTEGER NOT NULL AUTO_INCREMENT,
    credential_id VARBINARY(1024) NOT NULL,
    public_key BLOB NOT NULL,
    sign_count INTEGER,
    transports TEXT,
    backup_state BOOL NOT NULL,
    device_type VARCHAR(64) NOT NULL,
    extensions VARCHAR(255),
    create_datetime DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6) NOT NULL,
    lastuse_datetime DATETIME(6) NOT NULL,
    name VARCHAR(64) NOT NULL,
    `usage` VARCHAR(64) NOT NULL,
    user_id INTEGER NOT NULL,
    PRIMARY KEY (id),
    UNIQUE INDEX ix_webauthn_credential_id (credential_id),
    INDEX ix_webauthn_user_id (user_id),
    FOREIGN KEY (user_id) REFERENCES `user` (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE fs_refresh_tracker (
    id INTEGER NOT NULL AUTO_INCREMENT,
    refresh_family VARCHAR(64) NOT NULL,
    gen INTEGER,
    expires_at DATETIME(6) NOT NULL,
    revoked_at DATETIME(6),
    last_used_at DATETIME(6) NOT NULL,
    create_datetime DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6) NOT NULL,
    name VARCHAR(64) NOT NULL,
    user_id INTEGER NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (refresh_family),
    INDEX ix_fs_refresh_tracker_user_id (user_id),
    FOREIGN KEY (user_id) REFERENCES `user` (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
