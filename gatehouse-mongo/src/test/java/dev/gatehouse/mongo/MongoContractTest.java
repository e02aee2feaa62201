package dev.gatehouse.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.gatehouse.account.Role;
import dev.gatehouse.account.User;
import dev.gatehouse.account.UserDatastore;
import dev.gatehouse.testkit.UserDatastoreContract;
import java.net.InetSocketAddress;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract on mongo-java-server (an in-JVM server speaking MongoDB's wire protocol; no real
 * mongod can be installed where these tests run). It has no multi-document transactions, as a
 * standalone mongod has none, so the unit-of-work rollback and isolation tests are skipped.
 */
@DisplayName("MongoDB datastore on mongo-java-server (standalone, no transactions)")
class MongoContractTest extends UserDatastoreContract {

    private static MongoServer server;
    private static MongoClient client;
    private MongoUserDatastore mongo;

    @BeforeAll
    static void startServer() {
        server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", 0);
        InetSocketAddress address = server.getLocalAddress();
        client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort());
    }

    @AfterAll
    static void stopServer() {
        client.close();
        server.shutdownNow();
    }

    @Override
    protected UserDatastore newDatastore() {
        client.getDatabase("gatehouse").drop();
        mongo = MongoUserDatastore.create(client, "gatehouse").migrate();
        return mongo;
    }

    @Override
    protected boolean transactional() {
        return mongo.supportsTransactions();
    }

    @Test
    void documentsHaveMongoEngineShapes() {
        store.createRole(Role.of("editor", "Edits", Set.of("write", "read")));
        User u = create(User.builder("Shape@Example.com", uniquifier()).username("Shaper")
                .mfRecoveryCodes(List.of("a-b", "c-d")).roles(List.of(Role.of("editor", null, null))));
        MongoCollection<Document> users = client.getDatabase("gatehouse").getCollection("user");
        Document d = users.find(Filters.eq("fs_uniquifier", u.fsUniquifier())).first();
        assertThat(d.get("_id")).isInstanceOf(ObjectId.class).isEqualTo(MongoUserDatastore.encodeId(u.id()));
        assertThat(d.getString("email")).isEqualTo("Shape@Example.com");
        assertThat(d.getString("email_lower")).isEqualTo("shape@example.com");
        assertThat(d.getBoolean("active")).isTrue();
        assertThat(d.getList("mf_recovery_codes", String.class)).containsExactly("a-b", "c-d");
        assertThat(d.get("create_datetime")).isInstanceOf(Date.class);
        // Absent, not null, as MongoEngine leaves out None.
        assertThat(d.containsKey("password")).isFalse();
        Document role = client.getDatabase("gatehouse").getCollection("role").find(Filters.eq("name", "editor")).first();
        assertThat(d.getList("roles", ObjectId.class)).containsExactly(role.getObjectId("_id"));
        assertThat(role.getList("permissions", String.class)).containsExactly("read", "write");
    }

    @Test
    void documentsWrittenByFlaskSecurityAreFoundAfterMigrate() {
        MongoCollection<Document> users = client.getDatabase("gatehouse").getCollection("user");
        ObjectId id = MongoUserDatastore.encodeId(9000);
        users.insertOne(new Document("_id", id).append("email", "Old@Example.com").append("fs_uniquifier", "u-old")
                .append("active", true).append("roles", List.of()));
        assertThat(store.findUserByIdentity("email", "old@example.com")).isEmpty();
        mongo.migrate();
        User old = store.findUserByIdentity("email", "OLD@example.com").orElseThrow();
        assertThat(old.id()).isEqualTo(9000L);
        // The id counter moved past it.
        assertThat(create("next@example.com").id()).isGreaterThan(9000L);
    }

    @Test
    void caseInsensitiveLookupsHaveAUniqueIndex() {
        List<Document> indexes = client.getDatabase("gatehouse").getCollection("user").listIndexes().into(new java.util.ArrayList<>());
        assertThat(indexes).anySatisfy(i -> {
            assertThat(i.get("key", Document.class)).containsKey("email_lower");
            assertThat(i.getBoolean("unique")).isTrue();
        });
        assertThat(indexes).anySatisfy(i -> assertThat(i.get("key", Document.class)).containsKey("username_lower"));
    }

    @Override
    protected boolean credentialRowsHaveIdsAndCreationTimes() {
        return false;
    }
}
