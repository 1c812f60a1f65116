-- What a scan asked for (code and target), so that a nonce used again for another scan is refused.
ALTER TABLE scans ADD COLUMN request_digest TEXT;
