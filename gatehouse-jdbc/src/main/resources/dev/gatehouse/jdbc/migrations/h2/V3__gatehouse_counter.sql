-- Gatehouse's own table (Flask-Security has none like it and never reads it): named counters with
-- an expiry that every node sees, for TOTP replay protection (the last accepted step of a secret)
-- and for limiting wrong second-factor codes per pending sign-in. Expiry is in epoch milliseconds.
CREATE TABLE gatehouse_counter (
    name VARCHAR(191) NOT NULL,
    counter_value BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (name)
);
CREATE INDEX ix_gatehouse_counter_expires ON gatehouse_counter (expires_at);
