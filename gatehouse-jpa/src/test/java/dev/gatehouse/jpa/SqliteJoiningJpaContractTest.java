package dev.gatehouse.jpa;

import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;

@DisplayName("JPA datastore on SQLite, joining the application's EntityManager")
class SqliteJoiningJpaContractTest extends JpaContractTest {

    @Override
    DataSource dataSource() {
        return JpaTestDatabases.sqlite();
    }

    @Override
    boolean joining() {
        return true;
    }
}
