package dev.gatehouse.jpa;

import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;

@DisplayName("JPA datastore on PostgreSQL, own transactions")
class PostgresOwnJpaContractTest extends JpaContractTest {

    @Override
    DataSource dataSource() {
        return JpaTestDatabases.postgres();
    }

    @Override
    boolean joining() {
        return false;
    }
}
