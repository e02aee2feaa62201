package dev.gatehouse.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoServerException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.ClientSession;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.mongodb.client.result.UpdateResult;
import com.mongodb.connection.ClusterType;
import dev.gatehouse.account.CreateResult;
import dev.gatehouse.account.RefreshTracker;
import dev.gatehouse.account.Role;
import dev.gatehouse.account.Uniquifiers;
import dev.gatehouse.account.User;
import dev.gatehouse.account.UserDatastore;
import dev.gatehouse.account.WebAuthnCredential;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

/**
 * A {@link UserDatastore} on MongoDB through the official synchronous driver: the counterpart of
 * Flask-Security's {@code MongoEngineUserDatastore}. Users and roles live in the collections and
 * fields that Flask-Security's MongoEngine models use ({@code user} and {@code role}; field names
 * as the {@code fsqla} columns; {@code roles} an array of role ids; lists as BSON arrays; times as
 * BSON dates), so a Flask-Security app and Gatehouse can share them.
 *
 * <p>Additions to the documents, both plain fields MongoEngine models can declare:
 * <ul>
 *   <li>{@code email_lower} and {@code username_lower}: the lower-cased identities, with unique
 *       indexes, so case-insensitive lookups are index lookups and two spellings of one address
 *       can never both be registered (MongoEngine's {@code __iexact} is a regex scan);</li>
 *   <li>ids: Gatehouse's user and role ids are numbers; documents it creates get an ObjectId
 *       {@code _id} whose first four bytes are zero and whose last eight hold the number (from the
 *       counter collection {@code gatehouse_counters}), which MongoEngine's default
 *       {@code ObjectIdField} keys accept as they are.</li>
 * </ul>
 * WebAuthn credentials live in {@code web_authn} (keyed by the credential id, as the MongoEngine
 * model's primary key) and refresh trackers in {@code fs_refresh_tracker}; both reference the user
 * in {@code user}, and the user document lists them in {@code webauthn} and
 * {@code refresh_trackers}, which every write here keeps in step.
 *
 * <p>{@link #migrate()} creates the indexes and fills the lower-case fields of documents written by
 * others. Documents with ObjectIds that MongoEngine generated cannot be addressed by a numeric id
 * and are not supported yet.
 *
 * <p>Atomicity: every method is a single-document write or, for {@link #trackLogin}, two
 * single-document writes that converge under concurrency (creating or deleting a credential or
 * tracker also updates the user's list of them: two writes, in one transaction where the server
 * has them; refresh-token exchange and revocation are single conditional updates); concurrent role and permission changes
 * are {@code $addToSet}/{@code $pull} updates. When the server supports multi-document
 * transactions (a replica set or sharded cluster), {@link #inTransaction} runs its work in one;
 * otherwise (a standalone server, or the in-JVM test server) a unit of work is <b>not</b> atomic:
 * each write commits on its own and a failure leaves the earlier writes in place.
 * {@link #supportsTransactions()} says which applies.
 */
public final class MongoUserDatastore implements UserDatastore {

    /** The collection of Flask-Security's MongoEngine {@code User} model. */
    public static final String USERS = "user";
    /** The collection of Flask-Security's MongoEngine {@code Role} model. */
    public static final String ROLES = "role";
    /** The collections whose documents reference a user in a field {@code user} (MongoEngine CASCADE). */
    private static final String WEBAUTHN = "web_authn";
    private static final String REFRESH_TRACKERS = "fs_refresh_tracker";
    private static final List<String> USER_OWNED = List.of(WEBAUTHN, REFRESH_TRACKERS);
    private static final String COUNTERS = "gatehouse_counters";
    /** Gatehouse's expiring counters (UserDatastore.findCounter and friends): TOTP steps, wrong codes. */
    private static final String EXPIRING = "gatehouse_expiring_counters";
    private static final int DUPLICATE_KEY = 11000;

    private final MongoClient client;
    private final MongoDatabase db;
    private final MongoCollection<Document> users;
    private final MongoCollection<Document> roles;
    private final MongoCollection<Document> counters;
    private final MongoCollection<Document> expiring;
    private final Clock clock;
    private final boolean transactions;
    private final ThreadLocal<ClientSession> session = new ThreadLocal<>();

    private MongoUserDatastore(MongoClient client, String database, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.db = client.getDatabase(Objects.requireNonNull(database, "database"));
        this.users = db.getCollection(USERS);
        this.roles = db.getCollection(ROLES);
        this.counters = db.getCollection(COUNTERS);
        this.expiring = db.getCollection(EXPIRING);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.transactions = serverSupportsTransactions(client, db);
    }

    /**
     * A datastore on {@code database} of {@code client}. Call {@link #migrate()} once at start-up.
     * The client stays the caller's to close.
     */
    public static MongoUserDatastore create(MongoClient client, String database) {
        return new MongoUserDatastore(client, database, Clock.systemUTC());
    }

    /** The same datastore taking {@code create_datetime} and {@code update_datetime} from {@code clock}. */
    public MongoUserDatastore withClock(Clock clock) {
        return new MongoUserDatastore(client, db.getName(), clock);
    }

    /** Whether {@link #inTransaction} units of work are atomic and isolated (see the class comment). */
    public boolean supportsTransactions() {
        return transactions;
    }

    // Multi-document transactions need a replica set or a sharded cluster; the driver learns which
    // it talks to from its first exchange with the servers (the ping).
    private static boolean serverSupportsTransactions(MongoClient client, MongoDatabase db) {
        db.runCommand(new Document("ping", 1));
        ClusterType type = client.getClusterDescription().getType();
        return type == ClusterType.REPLICA_SET || type == ClusterType.SHARDED;
    }

    /**
     * Creates the unique indexes (the ones Flask-Security's MongoEngine models declare, with the same
     * options, plus the lower-case identity ones), fills the lower-case fields where documents lack
     * them, and moves the id counters past the highest numeric id. Safe to run at every start.
     *
     * @return this datastore, for chaining
     */
    public MongoUserDatastore migrate() {
        IndexOptions unique = new IndexOptions().unique(true);
        IndexOptions uniqueSparse = new IndexOptions().unique(true).sparse(true);
        users.createIndex(Indexes.ascending("email"), unique);
        users.createIndex(Indexes.ascending("fs_uniquifier"), unique);
        users.createIndex(Indexes.ascending("fs_webauthn_user_handle"), unique);
        users.createIndex(Indexes.ascending("username"), uniqueSparse);
        users.createIndex(Indexes.ascending("us_phone_number"), uniqueSparse);
        users.createIndex(Indexes.ascending("email_lower"), unique);
        users.createIndex(Indexes.ascending("username_lower"), uniqueSparse);
        roles.createIndex(Indexes.ascending("name"), unique);
        db.getCollection(REFRESH_TRACKERS).createIndex(Indexes.ascending("refresh_family"), unique);
        db.getCollection(REFRESH_TRACKERS).createIndex(Indexes.ascending("user"));
        db.getCollection(WEBAUTHN).createIndex(Indexes.ascending("user"));
        // MongoDB removes expired counters by itself (a server without TTL support just keeps them).
        expiring.createIndex(Indexes.ascending("expires_at"), new IndexOptions().expireAfter(0L, java.util.concurrent.TimeUnit.SECONDS));
        // Documents Flask-Security wrote lack the lower-case fields; this scan runs only here.
        for (Document d : users.find(Filters.or(Filters.exists("email_lower", false),
                Filters.and(Filters.exists("username"), Filters.exists("username_lower", false))))) {
            List<Bson> set = new ArrayList<>();
            set.add(Updates.set("email_lower", lower(d.getString("email"))));
            if (d.getString("username") != null) {
                set.add(Updates.set("username_lower", lower(d.getString("username"))));
            }
            users.updateOne(Filters.eq("_id", d.get("_id")), Updates.combine(set));
        }
        raiseCounter(USERS, users);
        raiseCounter(ROLES, roles);
        raiseCounter(REFRESH_TRACKERS, db.getCollection(REFRESH_TRACKERS));
        return this;
    }

    private void raiseCounter(String name, MongoCollection<Document> collection) {
        long max = 0;
        for (Document d : collection.find().projection(new Document("_id", 1))) {
            Long id = decodeId(d.get("_id"));
            if (id != null) {
                max = Math.max(max, id);
            }
        }
        counters.updateOne(Filters.eq("_id", name), Updates.max("seq", max), new com.mongodb.client.model.UpdateOptions().upsert(true));
    }

    // ---------------------------------------------------------------- transactions

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        if (!transactions || session.get() != null) {
            return work.get();
        }
        try (ClientSession s = client.startSession()) {
            session.set(s);
            try {
                s.startTransaction();
                T result = work.get();
                s.commitTransaction();
                return result;
            } catch (RuntimeException | Error e) {
                if (s.hasActiveTransaction()) {
                    s.abortTransaction();
                }
                throw e;
            } finally {
                session.remove();
            }
        }
    }

    // The driver's calls with and without a session differ only in the first argument.
    private FindIterable<Document> find(MongoCollection<Document> c, Bson filter) {
        ClientSession s = session.get();
        return s == null ? c.find(filter) : c.find(s, filter);
    }

    private Document findOne(MongoCollection<Document> c, Bson filter) {
        return find(c, filter).first();
    }

    private void insert(MongoCollection<Document> c, Document d) {
        ClientSession s = session.get();
        if (s == null) {
            c.insertOne(d);
        } else {
            c.insertOne(s, d);
        }
    }

    private UpdateResult update(MongoCollection<Document> c, Bson filter, Bson update) {
        ClientSession s = session.get();
        return s == null ? c.updateOne(filter, update) : c.updateOne(s, filter, update);
    }

    private Document findAndUpdate(MongoCollection<Document> c, Bson filter, Bson update, FindOneAndUpdateOptions options) {
        ClientSession s = session.get();
        return s == null ? c.findOneAndUpdate(filter, update, options) : c.findOneAndUpdate(s, filter, update, options);
    }

    private long delete(MongoCollection<Document> c, Bson filter, boolean many) {
        ClientSession s = session.get();
        if (many) {
            return (s == null ? c.deleteMany(filter) : c.deleteMany(s, filter)).getDeletedCount();
        }
        return (s == null ? c.deleteOne(filter) : c.deleteOne(s, filter)).getDeletedCount();
    }

    // ---------------------------------------------------------------- users

    @Override
    public Optional<User> findUserByIdentity(String attribute, String value) {
        Objects.requireNonNull(attribute, "attribute");
        String field = switch (attribute) {
            case "email" -> "email_lower";
            case "username" -> "username_lower";
            default -> throw new IllegalArgumentException("not an identity attribute: " + attribute);
        };
        if (value == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(findOne(users, Filters.eq(field, lower(value)))).map(this::toUser);
    }

    @Override
    public Optional<User> findUserByUniquifier(String fsUniquifier) {
        if (fsUniquifier == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(findOne(users, Filters.eq("fs_uniquifier", fsUniquifier))).map(this::toUser);
    }

    @Override
    public Optional<User> findUserById(long id) {
        return Optional.ofNullable(findOne(users, Filters.eq("_id", encodeId(id)))).map(this::toUser);
    }

    @Override
    public CreateResult createUser(User user) {
        Objects.requireNonNull(user, "user");
        if (user.id() != null) {
            throw new IllegalArgumentException("a new user has no id yet; use updateUser for stored users");
        }
        Optional<String> taken = findConflict(user, null);
        if (taken.isPresent()) {
            return new CreateResult.AlreadyExists(taken.get());
        }
        List<ObjectId> roleIds = new ArrayList<>();
        for (Role r : user.roles()) {
            Document role = findOne(roles, Filters.eq("name", r.name()));
            if (role == null) {
                throw new IllegalArgumentException("no such role: " + r.name());
            }
            if (!roleIds.contains(role.getObjectId("_id"))) {
                roleIds.add(role.getObjectId("_id"));
            }
        }
        // Flask-Security's create_user fills the WebAuthn handle when the model has the field.
        User toInsert = user.fsWebauthnUserHandle() != null ? user
                : user.toBuilder().fsWebauthnUserHandle(Uniquifiers.newUniquifier()).build();
        Date now = date(clock.instant());
        Document doc = new Document("_id", encodeId(nextId(USERS)));
        for (Map.Entry<String, Object> field : fields(toInsert).entrySet()) {
            if (field.getValue() != null) {
                doc.append(field.getKey(), field.getValue());
            }
        }
        doc.append("roles", roleIds)
                .append("create_datetime", user.createDatetime() != null ? date(user.createDatetime()) : now)
                .append("update_datetime", now);
        for (int attempt = 1; ; attempt++) {
            try {
                insert(users, doc);
                return new CreateResult.Created(toUser(doc));
            } catch (MongoServerException e) {
                if (!isDuplicateKey(e)) {
                    throw e;
                }
                // Lost a race against a concurrent creation: the unique index stopped it, and the
                // winner is now visible.
                Optional<String> collision = findConflict(toInsert, null).or(() -> attributeOf(e));
                if (collision.isPresent()) {
                    return new CreateResult.AlreadyExists(collision.get());
                }
                // Only the _id collided: an id counter behind the data (a database adopted while
                // another writer inserted) or a server whose $inc is not atomic; take the next id.
                if (attempt == 5) {
                    throw e;
                }
                doc.put("_id", encodeId(nextId(USERS)));
            }
        }
    }

    @Override
    public User updateUser(User user) {
        Objects.requireNonNull(user, "user");
        long id = storedId(user);
        ObjectId oid = encodeId(id);
        if (findOne(users, Filters.eq("_id", oid)) == null) {
            throw new IllegalArgumentException("no such user: " + id);
        }
        findConflict(user, id).ifPresent(attribute -> {
            throw new IllegalStateException(attribute + " belongs to another account");
        });
        // $set and $unset field by field: roles and any fields of the application's own model stay.
        List<Bson> changes = new ArrayList<>();
        for (Map.Entry<String, Object> field : fields(user).entrySet()) {
            changes.add(field.getValue() == null ? Updates.unset(field.getKey()) : Updates.set(field.getKey(), field.getValue()));
        }
        if (user.createDatetime() != null) {
            changes.add(Updates.set("create_datetime", date(user.createDatetime())));
        }
        changes.add(Updates.set("update_datetime", date(clock.instant())));
        try {
            update(users, Filters.eq("_id", oid), Updates.combine(changes));
        } catch (MongoServerException e) {
            if (!isDuplicateKey(e)) {
                throw e;
            }
            String attribute = findConflict(user, id).or(() -> attributeOf(e)).orElse("a unique attribute");
            throw new IllegalStateException(attribute + " belongs to another account", e);
        }
        return findUserById(id).orElseThrow(() -> new IllegalArgumentException("no such user: " + id));
    }

    @Override
    public boolean deleteUser(User user) {
        long id = storedId(user);
        ObjectId oid = encodeId(id);
        // What MongoEngine's CASCADE delete rules of Flask-Security's models remove with the user.
        for (String owned : USER_OWNED) {
            delete(db.getCollection(owned), Filters.eq("user", oid), true);
        }
        return delete(users, Filters.eq("_id", oid), false) > 0;
    }

    /**
     * Records a login with two single-document updates that lose nothing under concurrency: the
     * first sets the current login and increments the count atomically and returns the previous
     * current login; the second moves that to "last" only while this login is still the current
     * one (a later login has already moved this one).
     */
    @Override
    public User trackLogin(User user, Instant now, String remoteAddress) {
        long id = storedId(user);
        ObjectId oid = encodeId(id);
        Date at = date(now);
        Document before = findAndUpdate(users, Filters.eq("_id", oid),
                Updates.combine(Updates.set("current_login_at", at), setOrUnset("current_login_ip", remoteAddress),
                        Updates.inc("login_count", 1), Updates.set("update_datetime", date(clock.instant()))),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE));
        if (before == null) {
            throw new IllegalArgumentException("no such user: " + id);
        }
        Date lastAt = before.getDate("current_login_at") != null ? before.getDate("current_login_at") : at;
        String lastIp = before.getString("current_login_ip") != null ? before.getString("current_login_ip") : remoteAddress;
        update(users, Filters.and(Filters.eq("_id", oid), Filters.eq("current_login_at", at),
                        Filters.eq("current_login_ip", remoteAddress)),
                Updates.combine(Updates.set("last_login_at", lastAt), setOrUnset("last_login_ip", lastIp)));
        return findUserById(id).orElseThrow();
    }

    // ---------------------------------------------------------------- recovery codes and counters

    /**
     * Removes the code with one conditional {@code $pull} on the user document: of two concurrent
     * uses of one code exactly one matches and modifies it.
     */
    @Override
    public boolean mfDeleteRecoveryCode(User user, String storedCode) {
        Objects.requireNonNull(storedCode, "storedCode");
        ObjectId oid = encodeId(storedId(user));
        boolean removed = update(users, Filters.and(Filters.eq("_id", oid), Filters.eq("mf_recovery_codes", storedCode)),
                Updates.combine(Updates.pull("mf_recovery_codes", storedCode), Updates.set("update_datetime", date(clock.instant()))))
                .getModifiedCount() == 1;
        if (removed) {
            // Flask-Security's AsaList holds None for no codes, not an empty list.
            update(users, Filters.and(Filters.eq("_id", oid), Filters.size("mf_recovery_codes", 0)), Updates.unset("mf_recovery_codes"));
        }
        return removed;
    }

    @Override
    public OptionalLong findCounter(String name, Instant now) {
        checkCounterName(name);
        Document d = findOne(expiring, Filters.and(Filters.eq("_id", name), Filters.gt("expires_at", date(now))));
        return d == null ? OptionalLong.empty() : OptionalLong.of(d.get("value", Number.class).longValue());
    }

    @Override
    public boolean advanceCounter(String name, long value, Instant expiresAt, Instant now) {
        checkCounterName(name);
        Bson raise = Filters.and(Filters.eq("_id", name),
                Filters.or(Filters.lt("value", value), Filters.lte("expires_at", date(now))));
        Bson set = Updates.combine(Updates.set("value", value), Updates.set("expires_at", date(expiresAt)));
        if (update(expiring, raise, set).getModifiedCount() == 1) {
            return true;
        }
        try {
            insert(expiring, new Document("_id", name).append("value", value).append("expires_at", date(expiresAt)));
            return true;
        } catch (MongoServerException e) {
            if (!isDuplicateKey(e)) {
                throw e;
            }
        }
        // The document exists (perhaps inserted concurrently just now): one more conditional try.
        return update(expiring, raise, set).getModifiedCount() == 1;
    }

    @Override
    public long incrementCounter(String name, Instant expiresAt, Instant now) {
        checkCounterName(name);
        FindOneAndUpdateOptions after = new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER);
        for (int attempt = 0; ; attempt++) {
            Document live = findAndUpdate(expiring, Filters.and(Filters.eq("_id", name), Filters.gt("expires_at", date(now))),
                    Updates.inc("value", 1L), after);
            if (live != null) {
                return live.get("value", Number.class).longValue();
            }
            Document restarted = findAndUpdate(expiring, Filters.and(Filters.eq("_id", name), Filters.lte("expires_at", date(now))),
                    Updates.combine(Updates.set("value", 1L), Updates.set("expires_at", date(expiresAt))), after);
            if (restarted != null) {
                return 1;
            }
            try {
                insert(expiring, new Document("_id", name).append("value", 1L).append("expires_at", date(expiresAt)));
                return 1;
            } catch (MongoServerException e) {
                // Another request created it first: count on that one.
                if (!isDuplicateKey(e) || attempt >= 5) {
                    throw e;
                }
            }
        }
    }

    private static void checkCounterName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.length() > 191) {
            throw new IllegalArgumentException("a counter name has 1 to 191 characters");
        }
    }

    // ---------------------------------------------------------------- roles

    @Override
    public Optional<Role> findRole(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(findOne(roles, Filters.eq("name", name))).map(MongoUserDatastore::toRole);
    }

    @Override
    public Role createRole(Role role) {
        Objects.requireNonNull(role, "role");
        if (findOne(roles, Filters.eq("name", role.name())) != null) {
            throw new IllegalStateException("role exists: " + role.name());
        }
        Document doc = new Document("_id", encodeId(nextId(ROLES))).append("name", role.name());
        if (role.description() != null) {
            doc.append("description", role.description());
        }
        doc.append("permissions", role.permissions().stream().sorted().toList())
                .append("update_datetime", date(clock.instant()));
        try {
            insert(roles, doc);
        } catch (MongoServerException e) {
            if (isDuplicateKey(e)) {
                throw new IllegalStateException("role exists: " + role.name(), e);
            }
            throw e;
        }
        return toRole(doc);
    }

    @Override
    public boolean addRoleToUser(User user, String roleName) {
        long id = storedId(user);
        Document role = findOne(roles, Filters.eq("name", roleName));
        if (role == null) {
            throw new IllegalArgumentException("no such role: " + roleName);
        }
        // $addToSet decides atomically in the document: of concurrent adds of one role exactly one changes it.
        UpdateResult r = update(users, Filters.eq("_id", encodeId(id)), Updates.addToSet("roles", role.getObjectId("_id")));
        if (r.getMatchedCount() == 0) {
            throw new IllegalArgumentException("no such user: " + id);
        }
        return r.getModifiedCount() > 0;
    }

    @Override
    public boolean removeRoleFromUser(User user, String roleName) {
        long id = storedId(user);
        Document role = findOne(roles, Filters.eq("name", roleName));
        if (role == null) {
            return false;
        }
        return update(users, Filters.eq("_id", encodeId(id)), Updates.pull("roles", role.getObjectId("_id"))).getModifiedCount() > 0;
    }

    @Override
    public boolean addPermissionsToRole(String roleName, Collection<String> permissions) {
        Objects.requireNonNull(permissions, "permissions");
        return update(roles, Filters.eq("name", roleName), Updates.combine(
                Updates.addEachToSet("permissions", List.copyOf(permissions)),
                Updates.set("update_datetime", date(clock.instant())))).getMatchedCount() > 0;
    }

    @Override
    public boolean removePermissionsFromRole(String roleName, Collection<String> permissions) {
        Objects.requireNonNull(permissions, "permissions");
        return update(roles, Filters.eq("name", roleName), Updates.combine(
                Updates.pullAll("permissions", List.copyOf(permissions)),
                Updates.set("update_datetime", date(clock.instant())))).getMatchedCount() > 0;
    }

    // ---------------------------------------------------------------- internals

    /** Every field of the user document that {@link User} holds, except id, roles and the two timestamps; null means absent. */
    private static Map<String, Object> fields(User u) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("email", u.email());
        f.put("email_lower", lower(u.email()));
        f.put("username", u.username());
        f.put("username_lower", u.username() == null ? null : lower(u.username()));
        f.put("password", u.password());
        f.put("active", u.active());
        f.put("fs_uniquifier", u.fsUniquifier());
        f.put("confirmed_at", date(u.confirmedAt()));
        f.put("last_login_at", date(u.lastLoginAt()));
        f.put("current_login_at", date(u.currentLoginAt()));
        f.put("last_login_ip", u.lastLoginIp());
        f.put("current_login_ip", u.currentLoginIp());
        f.put("login_count", u.loginCount());
        f.put("tf_primary_method", u.tfPrimaryMethod());
        f.put("tf_totp_secret", u.tfTotpSecret());
        f.put("tf_phone_number", u.tfPhoneNumber());
        f.put("us_totp_secrets", u.usTotpSecrets());
        f.put("us_phone_number", u.usPhoneNumber());
        f.put("fs_webauthn_user_handle", u.fsWebauthnUserHandle());
        // MongoEngine leaves out what is None; an empty list means none here.
        f.put("mf_recovery_codes", u.mfRecoveryCodes().isEmpty() ? null : u.mfRecoveryCodes());
        return f;
    }

    private User toUser(Document d) {
        List<Role> userRoles = new ArrayList<>();
        List<?> ids = d.getList("roles", Object.class, List.of());
        if (!ids.isEmpty()) {
            for (Document r : find(roles, Filters.in("_id", ids))) {
                userRoles.add(toRole(r));
            }
            userRoles.sort(Comparator.comparing(Role::name));
        }
        Long id = decodeId(d.get("_id"));
        if (id == null) {
            throw new IllegalStateException("user document " + d.get("_id") + " has an id Gatehouse cannot address"
                    + " (an ObjectId not created by Gatehouse)");
        }
        Number loginCount = d.get("login_count", Number.class);
        return User.builder(d.getString("email"), d.getString("fs_uniquifier"))
                .id(id)
                .username(d.getString("username"))
                .password(d.getString("password"))
                // MongoEngine's BooleanField default is True; a document without the field is active.
                .active(d.getBoolean("active", true))
                .confirmedAt(instant(d.getDate("confirmed_at")))
                .lastLoginAt(instant(d.getDate("last_login_at")))
                .currentLoginAt(instant(d.getDate("current_login_at")))
                .lastLoginIp(d.getString("last_login_ip"))
                .currentLoginIp(d.getString("current_login_ip"))
                .loginCount(loginCount == null ? null : loginCount.intValue())
                .tfPrimaryMethod(d.getString("tf_primary_method"))
                .tfTotpSecret(d.getString("tf_totp_secret"))
                .tfPhoneNumber(d.getString("tf_phone_number"))
                .usTotpSecrets(d.getString("us_totp_secrets"))
                .usPhoneNumber(d.getString("us_phone_number"))
                .fsWebauthnUserHandle(d.getString("fs_webauthn_user_handle"))
                .mfRecoveryCodes(d.getList("mf_recovery_codes", String.class, List.of()))
                .createDatetime(instant(d.getDate("create_datetime")))
                .updateDatetime(instant(d.getDate("update_datetime")))
                .roles(userRoles)
                .build();
    }

    private static Role toRole(Document d) {
        Object permissions = d.get("permissions");
        // MongoEngine models keep a list; a comma-joined string is also what RoleMixin accepts.
        String column = permissions instanceof List<?> list
                ? String.join(",", list.stream().map(String::valueOf).toList())
                : (String) permissions;
        Long id = decodeId(d.get("_id"));
        return new Role(id, d.getString("name"), d.getString("description"), Role.parsePermissions(column),
                instant(d.getDate("update_datetime")));
    }

    private Optional<String> findConflict(User user, Long self) {
        Map<String, Bson> checks = new LinkedHashMap<>();
        checks.put("email", Filters.eq("email_lower", lower(user.email())));
        if (user.username() != null) {
            checks.put("username", Filters.eq("username_lower", lower(user.username())));
        }
        checks.put("fs_uniquifier", Filters.eq("fs_uniquifier", user.fsUniquifier()));
        if (user.usPhoneNumber() != null) {
            checks.put("us_phone_number", Filters.eq("us_phone_number", user.usPhoneNumber()));
        }
        if (user.fsWebauthnUserHandle() != null) {
            checks.put("fs_webauthn_user_handle", Filters.eq("fs_webauthn_user_handle", user.fsWebauthnUserHandle()));
        }
        for (Map.Entry<String, Bson> check : checks.entrySet()) {
            Bson filter = self == null ? check.getValue() : Filters.and(check.getValue(), Filters.ne("_id", encodeId(self)));
            if (findOne(users, filter) != null) {
                return Optional.of(check.getKey());
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- WebAuthn credentials and refresh trackers
    // As Flask-Security's MongoEngine models store them: collection "web_authn" keyed by the
    // credential id (its primary key), "fs_refresh_tracker" with an ObjectId key; both reference the
    // user in "user", and the user document lists them in "webauthn" and "refresh_trackers"
    // (MongoEngine's ListField of references, kept in step here). Those models have no
    // create_datetime, so the records' creation times are null, and credentials have no separate id.

    private MongoCollection<Document> webauthnCollection() {
        return db.getCollection(WEBAUTHN);
    }

    private MongoCollection<Document> trackerCollection() {
        return db.getCollection(REFRESH_TRACKERS);
    }

    @Override
    public boolean supportsCredentialTables() {
        return true;
    }

    private ObjectId existingUser(User user) {
        ObjectId oid = encodeId(storedId(user));
        if (findOne(users, Filters.eq("_id", oid)) == null) {
            throw new IllegalArgumentException("no such user: " + user.id());
        }
        return oid;
    }

    @Override
    public WebAuthnCredential createWebauthn(User user, byte[] credentialId, byte[] publicKey, String name, long signCount,
                                             String usage, String deviceType, boolean backupState,
                                             List<String> transports, String extensions, Instant now) {
        Objects.requireNonNull(credentialId, "credentialId");
        if (credentialId.length == 0 || credentialId.length > 1024) {
            throw new IllegalArgumentException("a credential id has 1 to 1024 bytes");
        }
        return inTransaction(() -> {
            ObjectId owner = existingUser(user);
            Document d = new Document("_id", new Binary(credentialId))
                    .append("public_key", new Binary(Objects.requireNonNull(publicKey, "publicKey")))
                    .append("sign_count", signCount)
                    .append("transports", transports == null ? List.of() : List.copyOf(transports))
                    .append("backup_state", backupState)
                    .append("device_type", Objects.requireNonNull(deviceType, "deviceType"))
                    .append("lastuse_datetime", date(now))
                    .append("name", Objects.requireNonNull(name, "name"))
                    .append("usage", Objects.requireNonNull(usage, "usage"))
                    .append("user", owner);
            if (extensions != null) {
                d.append("extensions", extensions);
            }
            try {
                insert(webauthnCollection(), d);
            } catch (MongoServerException e) {
                if (isDuplicateKey(e)) {
                    throw new IllegalStateException("this WebAuthn credential is registered already");
                }
                throw e;
            }
            update(users, Filters.eq("_id", owner), Updates.addToSet("webauthn", new Binary(credentialId)));
            return toWebauthn(d);
        });
    }

    @Override
    public Optional<WebAuthnCredential> findWebauthn(byte[] credentialId) {
        Objects.requireNonNull(credentialId, "credentialId");
        return Optional.ofNullable(findOne(webauthnCollection(), Filters.eq("_id", new Binary(credentialId))))
                .map(this::toWebauthn);
    }

    @Override
    public List<WebAuthnCredential> findWebauthns(User user) {
        ObjectId owner = encodeId(storedId(user));
        List<WebAuthnCredential> out = new ArrayList<>();
        for (Document d : find(webauthnCollection(), Filters.eq("user", owner))) {
            out.add(toWebauthn(d));
        }
        // In the order the user document lists them: the order of registration.
        Document u = findOne(users, Filters.eq("_id", owner));
        List<?> order = u == null ? List.of() : u.getList("webauthn", Object.class, List.of());
        out.sort(Comparator.comparingInt(w -> {
            int i = indexOfBinary(order, w.credentialId());
            return i < 0 ? Integer.MAX_VALUE : i;
        }));
        return out;
    }

    private static int indexOfBinary(List<?> values, byte[] bytes) {
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) instanceof Binary b && java.util.Arrays.equals(b.getData(), bytes)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Optional<WebAuthnCredential> recordWebauthnUse(WebAuthnCredential credential, long signCount, boolean backupState,
                                                          Instant now) {
        Document d = findAndUpdate(webauthnCollection(), Filters.eq("_id", new Binary(credential.credentialId())),
                Updates.combine(Updates.set("sign_count", signCount), Updates.set("backup_state", backupState),
                        Updates.set("lastuse_datetime", date(now))),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        return Optional.ofNullable(d).map(this::toWebauthn);
    }

    @Override
    public boolean deleteWebauthn(WebAuthnCredential credential) {
        Binary key = new Binary(credential.credentialId());
        return inTransaction(() -> {
            boolean deleted = delete(webauthnCollection(), Filters.eq("_id", key), false) > 0;
            update(users, Filters.eq("_id", encodeId(credential.userId())), Updates.pull("webauthn", key));
            return deleted;
        });
    }

    @Override
    public int webauthnReset(User user) {
        ObjectId owner = encodeId(storedId(user));
        return inTransaction(() -> {
            int deleted = (int) delete(webauthnCollection(), Filters.eq("user", owner), true);
            update(users, Filters.eq("_id", owner), Updates.set("webauthn", List.of()));
            return deleted;
        });
    }

    private WebAuthnCredential toWebauthn(Document d) {
        Number signCount = d.get("sign_count", Number.class);
        return new WebAuthnCredential(null, d.get("_id", Binary.class).getData(), d.get("public_key", Binary.class).getData(),
                signCount == null ? 0 : signCount.longValue(), d.getList("transports", String.class, List.of()),
                Boolean.TRUE.equals(d.getBoolean("backup_state")), d.getString("device_type"), d.getString("extensions"),
                null, instant(d.getDate("lastuse_datetime")), d.getString("name"), d.getString("usage"),
                decodeOwner(d));
    }

    private static long decodeOwner(Document d) {
        Long owner = decodeId(d.get("user"));
        if (owner == null) {
            throw new IllegalStateException("a document references a user Gatehouse cannot address: " + d.get("user"));
        }
        return owner;
    }

    @Override
    public RefreshTracker createRefreshTracker(User user, String name, Instant expiresAt, Instant now) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(expiresAt, "expiresAt");
        return inTransaction(() -> {
            ObjectId owner = existingUser(user);
            ObjectId id = encodeId(nextId(REFRESH_TRACKERS));
            Document d = new Document("_id", id)
                    .append("refresh_family", java.util.UUID.randomUUID().toString().replace("-", ""))
                    .append("gen", 1)
                    .append("expires_at", date(expiresAt))
                    .append("last_used_at", date(now))
                    .append("name", name)
                    .append("user", owner);
            insert(trackerCollection(), d);
            update(users, Filters.eq("_id", owner), Updates.addToSet("refresh_trackers", id));
            return toTracker(d);
        });
    }

    @Override
    public Optional<RefreshTracker> findRefreshTracker(String refreshFamily) {
        Objects.requireNonNull(refreshFamily, "refreshFamily");
        return Optional.ofNullable(findOne(trackerCollection(), Filters.eq("refresh_family", refreshFamily))).map(this::toTracker);
    }

    @Override
    public List<RefreshTracker> findRefreshTrackers(User user) {
        List<RefreshTracker> out = new ArrayList<>();
        for (Document d : find(trackerCollection(), Filters.eq("user", encodeId(storedId(user))))) {
            out.add(toTracker(d));
        }
        out.sort(Comparator.comparing(RefreshTracker::id, Comparator.nullsLast(Comparator.naturalOrder())));
        return out;
    }

    @Override
    public Optional<RefreshTracker> exchangeRefreshTracker(RefreshTracker tracker, Instant now) {
        Document d = findAndUpdate(trackerCollection(),
                Filters.and(Filters.eq("_id", encodeId(trackerId(tracker))), Filters.eq("gen", tracker.gen()),
                        Filters.eq("revoked_at", null)),
                Updates.combine(Updates.inc("gen", 1), Updates.set("last_used_at", date(now))),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        return Optional.ofNullable(d).map(this::toTracker);
    }

    @Override
    public boolean revokeRefreshTracker(RefreshTracker tracker, Instant now) {
        return update(trackerCollection(), Filters.and(Filters.eq("_id", encodeId(trackerId(tracker))),
                Filters.eq("revoked_at", null)), Updates.set("revoked_at", date(now))).getModifiedCount() > 0;
    }

    @Override
    public int cleanupRefreshTrackers(User user, boolean expired, boolean revoked, Instant now) {
        if (!expired && !revoked) {
            return 0;
        }
        ObjectId owner = encodeId(storedId(user));
        List<Bson> which = new ArrayList<>();
        if (expired) {
            which.add(Filters.lte("expires_at", date(now)));
        }
        if (revoked) {
            which.add(Filters.ne("revoked_at", null));
        }
        Bson filter = Filters.and(Filters.eq("user", owner), Filters.or(which));
        return inTransaction(() -> {
            List<Object> ids = new ArrayList<>();
            for (Document d : find(trackerCollection(), filter)) {
                ids.add(d.get("_id"));
            }
            if (ids.isEmpty()) {
                return 0;
            }
            int deleted = (int) delete(trackerCollection(), Filters.in("_id", ids), true);
            update(users, Filters.eq("_id", owner), Updates.pullAll("refresh_trackers", ids));
            return deleted;
        });
    }

    @Override
    public int refreshTrackerReset(User user, Instant now) {
        ClientSession s = session.get();
        Bson filter = Filters.and(Filters.eq("user", encodeId(storedId(user))), Filters.eq("revoked_at", null));
        Bson set = Updates.set("revoked_at", date(now));
        return (int) (s == null ? trackerCollection().updateMany(filter, set)
                : trackerCollection().updateMany(s, filter, set)).getModifiedCount();
    }

    private RefreshTracker toTracker(Document d) {
        Number gen = d.get("gen", Number.class);
        return new RefreshTracker(decodeId(d.get("_id")), d.getString("refresh_family"), gen == null ? 1 : gen.intValue(),
                instant(d.getDate("expires_at")), instant(d.getDate("revoked_at")), instant(d.getDate("last_used_at")),
                null, d.getString("name") == null ? "default" : d.getString("name"), decodeOwner(d));
    }

    private static long trackerId(RefreshTracker tracker) {
        if (tracker.id() == null) {
            throw new IllegalArgumentException("tracker has not been stored");
        }
        return tracker.id();
    }

    private static boolean isDuplicateKey(MongoServerException e) {
        if (e instanceof MongoWriteException w) {
            return w.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
        }
        return e.getCode() == DUPLICATE_KEY;
    }

    /** The attribute whose unique index a duplicate-key error names ("... index: email_lower_1 dup key ..."). */
    private static Optional<String> attributeOf(MongoServerException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        int at = message.indexOf("index:");
        String index = at < 0 ? message : message.substring(at);
        for (String[] probe : new String[][] {
                {"webauthn", "fs_webauthn_user_handle"}, {"phone", "us_phone_number"},
                {"uniquifier", "fs_uniquifier"}, {"username", "username"}, {"email", "email"}}) {
            if (index.contains(probe[0])) {
                return Optional.of(probe[1]);
            }
        }
        return Optional.empty();
    }

    private long nextId(String counter) {
        // Outside any transaction: a number taken is never handed out again, even if the insert fails.
        Document d = counters.findOneAndUpdate(Filters.eq("_id", counter), Updates.inc("seq", 1L),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        return d.get("seq", Number.class).longValue();
    }

    /** Gatehouse's numeric id as an ObjectId: four zero bytes, then the number. */
    static ObjectId encodeId(long id) {
        return new ObjectId(ByteBuffer.allocate(12).putInt(0).putLong(id).array());
    }

    /** The numeric id in an ObjectId made by {@link #encodeId}, else null. */
    static Long decodeId(Object id) {
        if (id instanceof ObjectId oid) {
            ByteBuffer b = ByteBuffer.wrap(oid.toByteArray());
            return b.getInt() == 0 ? b.getLong() : null;
        }
        return null;
    }

    private static Bson setOrUnset(String field, Object value) {
        return value == null ? Updates.unset(field) : Updates.set(field, value);
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    // BSON dates hold milliseconds; values handed back must equal what a re-read gives.
    private static Date date(Instant t) {
        return t == null ? null : Date.from(t.truncatedTo(ChronoUnit.MILLIS));
    }

    private static Instant instant(Date d) {
        return d == null ? null : d.toInstant();
    }

    private static long storedId(User user) {
        Objects.requireNonNull(user, "user");
        if (user.id() == null) {
            throw new IllegalArgumentException("user has not been stored");
        }
        return user.id();
    }
}
