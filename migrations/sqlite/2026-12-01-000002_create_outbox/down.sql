DROP TABLE manage_tokens;
DROP TABLE outbox;
