package dev.gatehouse.jpa;

import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;

@DisplayName("JPA datastore on MariaDB, own transactions")
class MariaDbOwnJpaContractTest extends JpaContractTest {

    @Override
    DataSource dataSource() {
        return JpaTestDatabases.mariaDb();
    }

    @Override
    boolean joining() {
        return false;
    }
}
