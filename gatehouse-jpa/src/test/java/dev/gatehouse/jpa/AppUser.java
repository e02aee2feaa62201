package dev.gatehouse.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A test application's user: Flask-Security's columns plus one of its own. */
@Entity
@Table(name = FsqlaUser.TABLE)
public class AppUser extends FsqlaUser<AppRole> {

    @Column(name = "first_name", length = 100)
    private String firstName;

    public String getFirstName() {
        return firstName;
    }

    public void setFirstName(String firstName) {
        this.firstName = firstName;
    }
}
