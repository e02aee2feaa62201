package dev.gatehouse.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A test application's role entity. */
@Entity
@Table(name = "role")
public class AppRole extends FsqlaRole {
}
