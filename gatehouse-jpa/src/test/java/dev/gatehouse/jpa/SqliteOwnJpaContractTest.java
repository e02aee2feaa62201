package dev.gatehouse.jpa;

import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;

@DisplayName("JPA datastore on SQLite, own transactions")
class SqliteOwnJpaContractTest extends JpaContractTest {

    @Override
    DataSource dataSource() {
        return JpaTestDatabases.sqlite();
    }

    @Override
    boolean joining() {
        return false;
    }
}
