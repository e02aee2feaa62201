-- fsqla v3's WebAuthn table (created only when missing: a Flask-Security fsqla v3 database may
-- have it already) and fsqla v4's refresh-token tracker table (Flask-Security 5.9), with the names,
-- types and constraints SQLAlchemy gives them. Both reference the user with ON DELETE CASCADE.
CREATE TABLE IF NOT EXISTS webauthn (
	id INTEGER NOT NULL, 
	credential_id BLOB NOT NULL, 
	public_key BLOB NOT NULL, 
	sign_count INTEGER, 
	transports TEXT, 
	backup_state BOOLEAN NOT NULL, 
	device_type VARCHAR(64) NOT NULL, 
	extensions VARCHAR(255), 
	create_datetime DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	lastuse_datetime DATETIME NOT NULL, 
	name VARCHAR(64) NOT NULL, 
	usage VARCHAR(64) NOT NULL, 
	user_id INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(user_id) REFERENCES user (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX IF NOT EXISTS ix_webauthn_credential_id ON webauthn (credential_id);
CREATE INDEX IF NOT EXISTS ix_webauthn_user_id ON webauthn (user_id);

CREATE TABLE fs_refresh_tracker (
	id INTEGER NOT NULL, 
	refresh_family VARCHAR(64) NOT NULL, 
	gen INTEGER, 
	expires_at DATETIME NOT NULL, 
	revoked_at DATETIME, 
	last_used_at DATETIME NOT NULL, 
	create_datetime DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	name VARCHAR(64) NOT NULL, 
	user_id INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (refresh_family), 
	FOREIGN KEY(user_id) REFERENCES user (id) ON DELETE CASCADE
);
CREATE INDEX ix_fs_refresh_tracker_user_id ON fs_refresh_tracker (user_id);
