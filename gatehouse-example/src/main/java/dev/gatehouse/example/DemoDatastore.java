package dev.gatehouse.example;

import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.zaxxer.hikari.HikariDataSource;
import dev.gatehouse.account.UserDatastore;
import dev.gatehouse.jdbc.JdbcUserDatastore;
import dev.gatehouse.jpa.FsqlaPersistenceUnit;
import dev.gatehouse.jpa.GatehouseRole;
import dev.gatehouse.jpa.GatehouseUser;
import dev.gatehouse.jpa.JpaUserDatastore;
import dev.gatehouse.mongo.MongoUserDatastore;
import jakarta.persistence.EntityManagerFactory;
import java.util.Locale;
import java.util.Map;

/**
 * The demo app's datastore, chosen by {@code GATEHOUSE_DATASTORE}: {@code jdbc} (default) or
 * {@code jpa} over the JDBC URL in {@code DATABASE_URL}, or {@code mongo} with
 * {@code DATABASE_URL=mongodb://host:port/database}.
 */
record DemoDatastore(UserDatastore datastore, AutoCloseable resources) {

    static DemoDatastore open(Map<String, String> env, String defaultJdbcUrl) {
        String kind = env.getOrDefault("GATEHOUSE_DATASTORE", "jdbc").toLowerCase(Locale.ROOT);
        String user = env.get("DATABASE_USER");
        String password = env.get("DATABASE_PASSWORD");
        switch (kind) {
            case "jdbc" -> {
                JdbcUserDatastore jdbc = JdbcUserDatastore.forUrl(env.getOrDefault("DATABASE_URL", defaultJdbcUrl), user, password);
                return new DemoDatastore(jdbc, jdbc);
            }
            case "jpa" -> {
                HikariDataSource pool = JdbcUserDatastore.pooledDataSource(env.getOrDefault("DATABASE_URL", defaultJdbcUrl), user, password);
                try {
                    EntityManagerFactory emf = FsqlaPersistenceUnit.create(pool, GatehouseUser.class, GatehouseRole.class);
                    return new DemoDatastore(JpaUserDatastore.create(emf, GatehouseUser.class, GatehouseRole.class), () -> {
                        emf.close();
                        pool.close();
                    });
                } catch (RuntimeException e) {
                    pool.close();
                    throw e;
                }
            }
            case "mongo" -> {
                String url = env.get("DATABASE_URL");
                if (url == null || !url.startsWith("mongodb")) {
                    throw new IllegalArgumentException("GATEHOUSE_DATASTORE=mongo needs DATABASE_URL=mongodb://host:port/database");
                }
                String database = new ConnectionString(url).getDatabase();
                MongoClient client = MongoClients.create(url);
                try {
                    MongoUserDatastore mongo = MongoUserDatastore.create(client, database != null ? database : "gatehouse").migrate();
                    return new DemoDatastore(mongo, client);
                } catch (RuntimeException e) {
                    client.close();
                    throw e;
                }
            }
            default -> throw new IllegalArgumentException("GATEHOUSE_DATASTORE must be jdbc, jpa or mongo, not " + kind);
        }
    }
}
