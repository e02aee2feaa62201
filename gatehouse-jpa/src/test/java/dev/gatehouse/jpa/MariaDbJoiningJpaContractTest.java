package dev.gatehouse.jpa;

import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;

@DisplayName("JPA datastore on MariaDB, joining the application's EntityManager")
class MariaDbJoiningJpaContractTest extends JpaContractTest {

    @Override
    DataSource dataSource() {
        return JpaTestDatabases.mariaDb();
    }

    @Override
    boolean joining() {
        return true;
    }
}
