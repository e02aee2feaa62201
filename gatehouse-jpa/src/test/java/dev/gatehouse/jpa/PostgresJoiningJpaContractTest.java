package dev.gatehouse.jpa;

import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;

@DisplayName("JPA datastore on PostgreSQL, joining the application's EntityManager")
class PostgresJoiningJpaContractTest extends JpaContractTest {

    @Override
    DataSource dataSource() {
        return JpaTestDatabases.postgres();
    }

    @Override
    boolean joining() {
        return true;
    }
}
