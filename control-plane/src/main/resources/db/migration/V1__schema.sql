-- Weft control-plane schema. Portable between PostgreSQL and H2 (PostgreSQL mode).

-- Key/value facts about this store (its id, counters).
CREATE TABLE weft_meta (
    k VARCHAR(64) PRIMARY KEY,
    v VARCHAR(1024) NOT NULL
);

-- The one global revision. Every write transaction increments this row first: the row lock
-- serialises writers, so revisions commit in order and the change log never has gaps that
-- a later commit could fill behind a watcher's back, whatever the number of replicas.
CREATE TABLE weft_revision (
    id INT PRIMARY KEY,
    rev BIGINT NOT NULL
);
INSERT INTO weft_revision (id, rev) VALUES (1, 0);

CREATE TABLE networks (
    name VARCHAR(63) PRIMARY KEY,
    cidr VARCHAR(18) NOT NULL,
    first_ip BIGINT NOT NULL,
    last_ip BIGINT NOT NULL,
    dns_domain VARCHAR(253) NOT NULL,
    isolation_id INT NOT NULL UNIQUE,
    created_rev BIGINT NOT NULL
);

CREATE TABLE hosts (
    name VARCHAR(63) PRIMARY KEY,
    peer_id INT NOT NULL UNIQUE,
    underlay VARCHAR(2048) NOT NULL,
    public_key BYTEA,
    features VARCHAR(1024) NOT NULL,
    version VARCHAR(128) NOT NULL,
    connected BOOLEAN NOT NULL,
    last_seen_ms BIGINT NOT NULL,
    rev BIGINT NOT NULL
);

CREATE TABLE endpoints (
    id VARCHAR(32) PRIMARY KEY,
    network VARCHAR(63) NOT NULL REFERENCES networks (name),
    host VARCHAR(63) NOT NULL,
    container_id VARCHAR(128) NOT NULL,
    mac VARCHAR(17) NOT NULL,
    ip BIGINT NOT NULL,
    rev BIGINT NOT NULL,
    CONSTRAINT endpoints_container_unique UNIQUE (network, container_id),
    CONSTRAINT endpoints_mac_unique UNIQUE (network, mac)
);
CREATE INDEX endpoints_host ON endpoints (host);
CREATE INDEX endpoints_container ON endpoints (container_id);

-- One row per handed-out address. The primary key is what guarantees that no address is
-- ever held twice in a network.
CREATE TABLE addresses (
    network VARCHAR(63) NOT NULL REFERENCES networks (name),
    ip BIGINT NOT NULL,
    host VARCHAR(63) NOT NULL,
    owner VARCHAR(128) NOT NULL,
    endpoint_id VARCHAR(32),
    rev BIGINT NOT NULL,
    CONSTRAINT addresses_pk PRIMARY KEY (network, ip)
);
CREATE INDEX addresses_host ON addresses (host);

CREATE TABLE dns_records (
    name VARCHAR(253) NOT NULL,
    ip BIGINT NOT NULL,
    endpoint_id VARCHAR(32),
    host VARCHAR(63) NOT NULL,
    container_id VARCHAR(128) NOT NULL,
    rev BIGINT NOT NULL,
    CONSTRAINT dns_records_pk PRIMARY KEY (name, ip)
);
CREATE INDEX dns_records_endpoint ON dns_records (endpoint_id);
CREATE INDEX dns_records_container ON dns_records (container_id);

-- host = '' means the target applies to every host.
CREATE TABLE peer_targets (
    host VARCHAR(63) NOT NULL,
    address VARCHAR(64) NOT NULL,
    rev BIGINT NOT NULL,
    CONSTRAINT peer_targets_pk PRIMARY KEY (host, address)
);

CREATE TABLE links (
    from_host VARCHAR(63) NOT NULL,
    to_host VARCHAR(63) NOT NULL,
    state INT NOT NULL,
    rtt_micros INT NOT NULL,
    via VARCHAR(63) NOT NULL,
    encrypted BOOLEAN NOT NULL,
    reason VARCHAR(256) NOT NULL,
    endpoint VARCHAR(64) NOT NULL,
    updated_ms BIGINT NOT NULL,
    CONSTRAINT links_pk PRIMARY KEY (from_host, to_host)
);

-- One serialised weft.v1.Delta per revision.
CREATE TABLE changelog (
    rev BIGINT PRIMARY KEY,
    payload BYTEA NOT NULL,
    created_ms BIGINT NOT NULL
);
