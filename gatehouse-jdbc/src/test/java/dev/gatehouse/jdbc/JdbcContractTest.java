package dev.gatehouse.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.account.User;
import dev.gatehouse.account.UserDatastore;
import dev.gatehouse.testkit.UserDatastoreContract;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The datastore contract on one database, plus what only a SQL store has to prove: that the
 * case-insensitive identity lookups are index lookups. Subclasses start the database once per
 * class and hand out its (already migrated) DataSource; every test starts from empty tables.
 */
abstract class JdbcContractTest extends UserDatastoreContract {

    /** The database of this test class, migrated. */
    abstract DataSource dataSource();

    /** The query plan of {@code sql} with {@code :value} bound, one line per plan row. */
    abstract List<String> explain(Handle h, String sql, String value);

    /** What a plan line says when the {@code user} table is read through the named index. */
    abstract boolean usesIndex(List<String> plan, String index);

    @Override
    protected UserDatastore newDatastore() {
        DataSource ds = dataSource();
        JdbcUserDatastore store = JdbcUserDatastore.create(ds);
        Jdbi.create(ds).useHandle(h -> {
            h.execute("DELETE FROM roles_users");
            h.execute("DELETE FROM " + store.dialect().userTable());
            h.execute("DELETE FROM role");
        });
        return store;
    }

    @Override
    protected ChronoUnit timePrecision() {
        return ChronoUnit.MICROS;
    }

    @Test
    void emailLookupUsesTheLowerCaseIndex() {
        assertIndexUsed("email", "ux_user_email_lower");
    }

    @Test
    void usernameLookupUsesTheLowerCaseIndex() {
        assertIndexUsed("username", "ux_user_username_lower");
    }

    private void assertIndexUsed(String attribute, String index) {
        // A few rows so the plan is not about an empty table; MariaDB also needs the looked-up
        // row to exist, or it answers "Impossible WHERE" without naming any index.
        for (int i = 0; i < 20; i++) {
            create(User.builder("Plan" + i + "@Example.com", uniquifier()).username("Planner" + i));
        }
        JdbcUserDatastore jdbc = (JdbcUserDatastore) store;
        String value = attribute.equals("email") ? "PLAN7@example.com" : "PLANNER7";
        List<String> plan = Jdbi.create(dataSource()).withHandle(h -> explain(h, jdbc.identityLookupSql(attribute), value));
        assertThat(usesIndex(plan, index)).as("plan uses %s:%n%s", index, String.join("\n", plan)).isTrue();
        assertThat(store.findUserByIdentity(attribute, value)).map(User::email).contains("Plan7@Example.com");
    }
}
