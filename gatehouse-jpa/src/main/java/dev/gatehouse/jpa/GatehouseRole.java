package dev.gatehouse.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A ready-made role entity on Flask-Security's {@code role} table, for applications without role columns of their own. */
@Entity
@Table(name = "role")
public class GatehouseRole extends FsqlaRole {
    /** For JPA. */
    public GatehouseRole() {
    }
}
