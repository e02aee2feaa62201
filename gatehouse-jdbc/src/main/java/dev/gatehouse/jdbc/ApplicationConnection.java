package dev.gatehouse.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Hands {@link JdbcUserDatastore} the connection of the application's transaction in progress on
 * the calling thread, so that the datastore's reads and writes become part of it: they commit or
 * roll back with the application's own work. Gatehouse never commits, rolls back or closes that
 * connection.
 *
 * <p>Spring ({@code DataSourceUtils} finds the connection of the current {@code @Transactional}):
 * <pre>{@code
 * users = JdbcUserDatastore.create(dataSource).joining(() ->
 *         TransactionSynchronizationManager.isActualTransactionActive() ? DataSourceUtils.getConnection(dataSource) : null);
 * }</pre>
 */
@FunctionalInterface
public interface ApplicationConnection {

    /**
     * The connection of the application's transaction on this thread (auto-commit off), or
     * {@code null} when none is active; the datastore then uses a connection and transaction of its own.
     */
    Connection current() throws SQLException;
}
