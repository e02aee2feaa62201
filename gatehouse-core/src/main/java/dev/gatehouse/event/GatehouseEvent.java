package dev.gatehouse.event;

/** Something that happened to an account; delivered to listeners registered on {@code Gatehouse}. */
public interface GatehouseEvent {
}
