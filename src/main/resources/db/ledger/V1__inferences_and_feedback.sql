-- The usage ledger: one row per inference, and the feedback given on inferences and conversations.
-- Written for both PostgreSQL and H2; times are UTC.
CREATE TABLE gateway_inference (
    id                 VARCHAR(64)      NOT NULL PRIMARY KEY,
    started_at         TIMESTAMP        NOT NULL,
    usage_day          DATE             NOT NULL,
    key_name           VARCHAR(128)     NOT NULL,
    operation          VARCHAR(32)      NOT NULL,
    function_name      VARCHAR(128),
    variant_name       VARCHAR(128),
    model              VARCHAR(256)     NOT NULL,
    provider           VARCHAR(128),
    outcome            VARCHAR(16)      NOT NULL,
    error_type         VARCHAR(64),
    attempts           INTEGER          NOT NULL,
    fell_back          BOOLEAN          NOT NULL,
    streamed           BOOLEAN          NOT NULL,
    input_tokens       BIGINT,
    output_tokens      BIGINT,
    cache_read_tokens  BIGINT,
    cache_write_tokens BIGINT,
    reasoning_tokens   BIGINT,
    cost               NUMERIC(24, 12),
    currency           VARCHAR(3),
    duration_ms        DOUBLE PRECISION NOT NULL,
    first_token_ms     DOUBLE PRECISION,
    trace_id           VARCHAR(32),
    span_id            VARCHAR(16),
    conversation_id    VARCHAR(256),
    tags               VARCHAR(8192),
    input_content      VARCHAR(1000000),
    output_content     VARCHAR(1000000)
);
CREATE INDEX gateway_inference_started ON gateway_inference (started_at);
CREATE INDEX gateway_inference_key_day ON gateway_inference (key_name, usage_day);
CREATE INDEX gateway_inference_conversation ON gateway_inference (conversation_id);

CREATE TABLE gateway_feedback (
    id              VARCHAR(64)      NOT NULL PRIMARY KEY,
    created_at      TIMESTAMP        NOT NULL,
    inference_id    VARCHAR(64),
    conversation_id VARCHAR(256),
    metric_name     VARCHAR(128)     NOT NULL,
    bool_value      BOOLEAN,
    number_value    DOUBLE PRECISION,
    comment_text    VARCHAR(8192),
    key_name        VARCHAR(128)     NOT NULL
);
CREATE INDEX gateway_feedback_inference ON gateway_feedback (inference_id);
CREATE INDEX gateway_feedback_conversation ON gateway_feedback (conversation_id);
CREATE INDEX gateway_feedback_created ON gateway_feedback (created_at);
