package dev.gatehouse.jpa;

import dev.gatehouse.jdbc.FsqlaSchema;
import jakarta.persistence.EntityManagerFactory;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.hibernate.jpa.HibernatePersistenceConfiguration;

/**
 * Builds a Hibernate {@link EntityManagerFactory} for Flask-Security's tables without a
 * {@code persistence.xml}: the schema is first created or upgraded by the JDBC datastore's
 * migrations (an existing Flask-Security database is adopted as it is), and Hibernate never
 * generates DDL itself.
 *
 * <pre>{@code
 * EntityManagerFactory emf = FsqlaPersistenceUnit.create(dataSource, AppUser.class, AppRole.class, Order.class);
 * UserDatastore users = JpaUserDatastore.create(emf, AppUser.class, AppRole.class);
 * }</pre>
 *
 * Applications with a persistence unit of their own list their entities there instead, run
 * {@link FsqlaSchema#migrate(DataSource)} before the factory starts, and keep Hibernate's schema
 * action at {@code none} or {@code validate}.
 */
public final class FsqlaPersistenceUnit {

    private FsqlaPersistenceUnit() {
    }

    /** Migrates the schema, then builds a factory over {@code dataSource} managing {@code entities}. */
    public static EntityManagerFactory create(DataSource dataSource, Class<?>... entities) {
        return create(dataSource, Map.of(), entities);
    }

    /**
     * As {@link #create(DataSource, Class[])}, with extra Hibernate or Jakarta Persistence
     * properties (for example {@code hibernate.show_sql}).
     */
    public static EntityManagerFactory create(DataSource dataSource, Map<String, ?> properties, Class<?>... entities) {
        Objects.requireNonNull(dataSource, "dataSource");
        FsqlaSchema.migrate(dataSource);
        HibernatePersistenceConfiguration config = new HibernatePersistenceConfiguration("gatehouse")
                // A DataSource object (nonJtaDataSource() takes only a JNDI name).
                .property("hibernate.connection.datasource", dataSource)
                .managedClasses(entities)
                // The migrations own the schema; Hibernate must not touch it.
                .property("hibernate.hbm2ddl.auto", "none")
                .property("jakarta.persistence.schema-generation.database.action", "none");
        properties.forEach(config::property);
        return config.createEntityManagerFactory();
    }
}
