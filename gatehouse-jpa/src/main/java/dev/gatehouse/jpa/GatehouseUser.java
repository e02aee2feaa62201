package dev.gatehouse.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A ready-made user entity on Flask-Security's {@code user} table, for applications without user columns of their own. */
@Entity
@Table(name = FsqlaUser.TABLE)
public class GatehouseUser extends FsqlaUser<GatehouseRole> {
    /** For JPA. */
    public GatehouseUser() {
    }
}
