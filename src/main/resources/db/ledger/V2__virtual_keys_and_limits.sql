-- Virtual keys, teams and the counters their limits are leased from. Written for both PostgreSQL and H2; times are UTC.
-- Every change to a key or a team takes the next revision from gateway_key_revision in its own transaction (the
-- counter's row lock orders the writers), so that instances see every change by reading one row.
CREATE TABLE gateway_key_revision (
    id       INTEGER NOT NULL PRIMARY KEY,
    revision BIGINT  NOT NULL
);
INSERT INTO gateway_key_revision (id, revision) VALUES (1, 0);

CREATE TABLE gateway_key (
    id                     VARCHAR(36)    NOT NULL PRIMARY KEY,
    name                   VARCHAR(128)   NOT NULL,
    team                   VARCHAR(128),
    secret_sha256          VARCHAR(64)    NOT NULL,
    secret_hint            VARCHAR(16)    NOT NULL,
    metadata               VARCHAR(8192),
    models                 VARCHAR(8192),
    functions              VARCHAR(8192),
    limits                 VARCHAR(2048),
    created_at             TIMESTAMP      NOT NULL,
    updated_at             TIMESTAMP      NOT NULL,
    expires_at             TIMESTAMP,
    revoked_at             TIMESTAMP,
    revision               BIGINT         NOT NULL
);
CREATE UNIQUE INDEX gateway_key_name ON gateway_key (name);
CREATE UNIQUE INDEX gateway_key_secret ON gateway_key (secret_sha256);

CREATE TABLE gateway_team (
    name       VARCHAR(128)  NOT NULL PRIMARY KEY,
    limits     VARCHAR(2048),
    updated_at TIMESTAMP     NOT NULL,
    revision   BIGINT        NOT NULL
);

-- What the instances together have leased of one limit in one window (requests, tokens, or spend in the price
-- table's currency): never more than the limit while the database answers.
CREATE TABLE gateway_limit_counter (
    scope        VARCHAR(140)    NOT NULL,
    limit_kind   VARCHAR(32)     NOT NULL,
    window_start BIGINT          NOT NULL,
    granted      NUMERIC(30, 9)  NOT NULL,
    PRIMARY KEY (scope, limit_kind, window_start)
);

ALTER TABLE gateway_inference ADD COLUMN key_team VARCHAR(128);
