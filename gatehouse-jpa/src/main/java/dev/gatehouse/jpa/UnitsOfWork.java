package dev.gatehouse.jpa;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where the datastore's EntityManager and transaction come from: the two modes of
 * {@link JpaUserDatastore}.
 */
abstract class UnitsOfWork {

    /** Runs before the work of every transaction the datastore starts itself (SQLite's write lock). */
    private volatile Consumer<EntityManager> onBegin = em -> { };

    void onBegin(Consumer<EntityManager> hook) {
        this.onBegin = hook;
    }

    /** Whether a transaction is in progress for this thread, so that writes join it. */
    abstract boolean joined();

    /**
     * Runs {@code work} in the transaction in progress, or in one of its own that commits when the
     * work returns and rolls back when it throws. {@code failMarksRollback}: whether a failure of the
     * work dooms a transaction it joined (the public unit of work), or leaves it usable (a single
     * method that reported an expected outcome as an exception).
     */
    abstract <T> T run(Function<EntityManager, T> work, boolean failMarksRollback);

    /** Runs a read: in the transaction in progress, else outside any. */
    abstract <T> T read(Function<EntityManager, T> work);

    /** Notes an entity the datastore loaded or stored, for modes that must let go of it afterwards. */
    void loaded(Object entity) {
    }

    /** Any EntityManager, for reading the metamodel and the database product. */
    abstract <T> T withAnyEntityManager(Function<EntityManager, T> work);

    final <T> T begin(EntityManager em, Function<EntityManager, T> work) {
        EntityTransaction tx = em.getTransaction();
        tx.begin();
        try {
            onBegin.accept(em);
            T result = work.apply(em);
            tx.commit();
            return result;
        } catch (RuntimeException | Error e) {
            if (tx.isActive()) {
                tx.rollback();
            }
            throw e;
        }
    }

    static void markRollbackOnly(EntityManager em) {
        if (em.getTransaction().isActive()) {
            em.getTransaction().setRollbackOnly();
        }
    }

    /** Mode 1: an EntityManager and a transaction of the datastore's own per unit of work. */
    static final class Own extends UnitsOfWork {
        private final EntityManagerFactory emf;
        // Per instance, so two datastores never share a unit of work by accident.
        private final ThreadLocal<EntityManager> current = new ThreadLocal<>();

        Own(EntityManagerFactory emf) {
            this.emf = Objects.requireNonNull(emf, "emf");
        }

        @Override
        boolean joined() {
            return current.get() != null;
        }

        @Override
        <T> T run(Function<EntityManager, T> work, boolean failMarksRollback) {
            EntityManager em = current.get();
            if (em != null) {
                try {
                    return work.apply(em);
                } catch (RuntimeException | Error e) {
                    if (failMarksRollback) {
                        markRollbackOnly(em);
                    }
                    throw e;
                }
            }
            em = emf.createEntityManager();
            current.set(em);
            try {
                return begin(em, work);
            } finally {
                current.remove();
                em.close();
            }
        }

        @Override
        <T> T read(Function<EntityManager, T> work) {
            EntityManager em = current.get();
            if (em != null) {
                return work.apply(em);
            }
            try (EntityManager own = emf.createEntityManager()) {
                return work.apply(own);
            }
        }

        @Override
        <T> T withAnyEntityManager(Function<EntityManager, T> work) {
            return read(work);
        }
    }

    /**
     * Mode 2: the application's EntityManager. Inside the application's transaction the datastore
     * joins it; outside, it runs a transaction of its own on that EntityManager and afterwards
     * detaches what it loaded, so that the application's persistence context does not keep stale
     * copies of rows other threads go on changing.
     */
    static final class Application extends UnitsOfWork {
        private final Supplier<EntityManager> entityManager;
        // Entities loaded in a transaction the datastore started itself on this thread.
        private final ThreadLocal<List<Object>> ownLoads = new ThreadLocal<>();

        Application(Supplier<EntityManager> entityManager) {
            this.entityManager = Objects.requireNonNull(entityManager, "entityManager");
        }

        private EntityManager em() {
            return Objects.requireNonNull(entityManager.get(), "the application's EntityManager supplier returned null");
        }

        @Override
        boolean joined() {
            return em().isJoinedToTransaction();
        }

        @Override
        <T> T run(Function<EntityManager, T> work, boolean failMarksRollback) {
            EntityManager em = em();
            if (em.isJoinedToTransaction()) {
                try {
                    return work.apply(em);
                } catch (RuntimeException | Error e) {
                    if (failMarksRollback) {
                        markRollbackOnly(em);
                    }
                    throw e;
                }
            }
            return detachingAfterwards(em, () -> begin(em, work));
        }

        @Override
        <T> T read(Function<EntityManager, T> work) {
            EntityManager em = em();
            if (em.isJoinedToTransaction()) {
                return work.apply(em);
            }
            return detachingAfterwards(em, () -> work.apply(em));
        }

        private <T> T detachingAfterwards(EntityManager em, Supplier<T> work) {
            List<Object> loads = new ArrayList<>();
            ownLoads.set(loads);
            boolean ok = false;
            try {
                T result = work.get();
                ok = true;
                return result;
            } finally {
                ownLoads.remove();
                if (ok) {
                    for (Object entity : loads) {
                        if (em.contains(entity)) {
                            em.detach(entity);
                        }
                    }
                } else {
                    // After a failed flush Hibernate's persistence context no longer matches the
                    // database and must not be flushed again; clearing it is the nearest thing to
                    // discarding the session that the application's EntityManager allows.
                    em.clear();
                }
            }
        }

        @Override
        void loaded(Object entity) {
            List<Object> loads = ownLoads.get();
            if (loads != null) {
                loads.add(entity);
            }
        }

        @Override
        <T> T withAnyEntityManager(Function<EntityManager, T> work) {
            return work.apply(em());
        }
    }
}
