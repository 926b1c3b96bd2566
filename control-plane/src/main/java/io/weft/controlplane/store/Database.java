package io.weft.controlplane.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.weft.controlplane.config.WeftConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The connection pool and schema. The kind of database (embedded H2 or PostgreSQL) is chosen at run
 * time from {@code weft.db.url}, which is why the pool is built here and not by quarkus-jdbc-*
 * (that fixes the kind at build time).
 */
@ApplicationScoped
public class Database {
    private static final Logger LOG = Logger.getLogger(Database.class);

    private final AgroalDataSource pool;
    private final String kind;
    private final String storeId;

    @Inject
    public Database(WeftConfig config) {
        String url = config.db().url().filter(u -> !u.isBlank()).orElseGet(() -> embeddedUrl(config.dataDir()));
        this.kind = url.startsWith("jdbc:postgresql:") ? "postgresql" : url.startsWith("jdbc:h2:") ? "h2" : "unknown";
        if (kind.equals("unknown")) {
            throw new IllegalStateException("weft.db.url '" + url + "' is neither jdbc:h2: nor jdbc:postgresql:; set WEFT_DB_URL to one of them");
        }
        try {
            this.pool = AgroalDataSource.from(poolConfig(url, config));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the database at " + redact(url) + ": " + e.getMessage(), e);
        }
        migrate(pool);
        this.storeId = ensureStoreId();
        LOG.infof("store: %s at %s (store id %s)", kind, redact(url), storeId);
    }

    static String embeddedUrl(String dataDir) {
        Path dir = Path.of(dataDir).toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create data directory " + dir + ": " + e.getMessage()
                    + "; set WEFT_DATA_DIR to a writable directory", e);
        }
        // PostgreSQL mode so one schema and one set of SQL statements serve both databases; writers
        // queue on the revision row, so give them longer than H2's 1 s default lock timeout.
        return "jdbc:h2:file:" + dir.resolve("weft") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000";
    }

    private static AgroalDataSourceConfigurationSupplier poolConfig(String url, WeftConfig config) {
        AgroalDataSourceConfigurationSupplier supplier = new AgroalDataSourceConfigurationSupplier();
        var factory = supplier.connectionPoolConfiguration()
                .maxSize(config.db().maxConnections())
                .minSize(1)
                .initialSize(1)
                .acquisitionTimeout(Duration.ofSeconds(10))
                .validationTimeout(Duration.ofSeconds(30))
                .connectionFactoryConfiguration();
        // The driver class is named rather than looked up in DriverManager, whose registrations are
        // tied to the class loader that first loaded the driver (and go stale across restarts in tests).
        factory.jdbcUrl(url).autoCommit(true)
                .connectionProviderClass(url.startsWith("jdbc:postgresql:") ? org.postgresql.Driver.class : org.h2.Driver.class);
        config.db().username().ifPresent(u -> factory.principal(new NamePrincipal(u)));
        config.db().password().ifPresent(p -> factory.credential(new SimplePassword(p)));
        return supplier;
    }

    private static void migrate(DataSource ds) {
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    private String ensureStoreId() {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            String id = Sql.queryString(c, "SELECT v FROM weft_meta WHERE k = 'store_id'");
            if (id == null) {
                id = UUID.randomUUID().toString();
                Sql.update(c, "INSERT INTO weft_meta (k, v) VALUES ('store_id', ?)", id);
            }
            c.commit();
            return id;
        } catch (SQLException e) {
            // Another replica may have inserted it concurrently: read it back.
            try (Connection c = pool.getConnection()) {
                return Sql.queryString(c, "SELECT v FROM weft_meta WHERE k = 'store_id'");
            } catch (SQLException again) {
                throw new IllegalStateException("cannot read the store id: " + again.getMessage(), again);
            }
        }
    }

    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** "h2" or "postgresql". */
    public String kind() {
        return kind;
    }

    /** Random id fixed when the store was created; agents compare it before trusting revisions. */
    public String storeId() {
        return storeId;
    }

    @PreDestroy
    void close() {
        pool.close();
    }
}
