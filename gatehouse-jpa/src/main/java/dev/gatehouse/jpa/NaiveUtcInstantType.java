package dev.gatehouse.jpa;

import dev.gatehouse.jdbc.FsqlaSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Objects;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.usertype.UserType;

/**
 * Maps an {@link Instant} to a time column the way Flask-Security stores times and the JDBC
 * datastore reads and writes them: naive UTC with microseconds; text on SQLite (SQLAlchemy's
 * format) and MariaDB. Hibernate's own {@code Instant} mapping would apply the JVM's or the
 * connection's zone, and on SQLite write a format Flask-Security cannot parse.
 */
public final class NaiveUtcInstantType implements UserType<Instant> {

    // One Hibernate SessionFactory talks to one database; the schema knowledge is read on first use.
    private volatile FsqlaSchema schema;

    /** For Hibernate. */
    public NaiveUtcInstantType() {
    }

    @Override
    public int getSqlType() {
        return Types.TIMESTAMP;
    }

    @Override
    public Class<Instant> returnedClass() {
        return Instant.class;
    }

    @Override
    public Instant nullSafeGet(ResultSet rs, int position, WrapperOptions options) throws SQLException {
        return schema(rs.getStatement().getConnection()).readInstant(rs, position);
    }

    @Override
    public void nullSafeSet(PreparedStatement st, Instant value, int position, WrapperOptions options) throws SQLException {
        schema(st.getConnection()).bindInstant(st, position, value);
    }

    private FsqlaSchema schema(Connection c) throws SQLException {
        FsqlaSchema s = schema;
        if (s == null) {
            s = FsqlaSchema.of(c);
            schema = s;
        }
        return s;
    }

    @Override
    public boolean equals(Instant x, Instant y) {
        return Objects.equals(x, y);
    }

    @Override
    public int hashCode(Instant x) {
        return Objects.hashCode(x);
    }

    @Override
    public Instant deepCopy(Instant value) {
        return value; // immutable
    }

    @Override
    public boolean isMutable() {
        return false;
    }
}
