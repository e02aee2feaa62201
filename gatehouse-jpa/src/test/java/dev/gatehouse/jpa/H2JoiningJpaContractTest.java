package dev.gatehouse.jpa;

import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;

@DisplayName("JPA datastore on H2, joining the application's EntityManager")
class H2JoiningJpaContractTest extends JpaContractTest {

    @Override
    DataSource dataSource() {
        return JpaTestDatabases.h2();
    }

    @Override
    boolean joining() {
        return true;
    }
}
