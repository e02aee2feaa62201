package dev.gatehouse.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.annotations.Type;

/**
 * The columns of Flask-Security's {@code fsqla} {@code role} table. An application maps its role
 * entity by extending it, adding columns of its own if it has any:
 *
 * <pre>{@code
 * @Entity @Table(name = "role")
 * public class AppRole extends FsqlaRole { }
 * }</pre>
 */
@MappedSuperclass
public abstract class FsqlaRole {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    private Long id;

    @Column(name = "name", nullable = false, length = 80)
    private String name;

    @Column(name = "description", length = 255)
    private String description;

    @Convert(converter = AsaListConverter.class)
    @Column(name = "permissions")
    private List<String> permissions = new ArrayList<>();

    @Type(NaiveUtcInstantType.class)
    @Column(name = "update_datetime", nullable = false)
    private Instant updateDatetime;

    /** For JPA and subclasses. */
    protected FsqlaRole() {
    }

    /** The database id. */
    public Long getId() { return id; }
    /** Sets the database id (normally generated). */
    public void setId(Long id) { this.id = id; }
    /** The unique role name. */
    public String getName() { return name; }
    /** Sets the role name. */
    public void setName(String name) { this.name = name; }
    /** Free-text description. */
    public String getDescription() { return description; }
    /** Sets the description. */
    public void setDescription(String description) { this.description = description; }
    /** The permissions, stored comma-joined. */
    public List<String> getPermissions() { return permissions; }
    /** Sets the permissions. */
    public void setPermissions(List<String> permissions) { this.permissions = permissions; }
    /** When the role last changed (UTC). */
    public Instant getUpdateDatetime() { return updateDatetime; }
    /** Sets when the role last changed. */
    public void setUpdateDatetime(Instant updateDatetime) { this.updateDatetime = updateDatetime; }
}
