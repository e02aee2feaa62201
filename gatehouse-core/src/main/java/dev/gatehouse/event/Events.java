package dev.gatehouse.event;

import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to listeners, synchronously, in registration order. A listener that throws is
 * logged and does not stop the others or the request.
 */
public final class Events {
    private static final Logger LOG = LoggerFactory.getLogger(Events.class);
    private final List<Listener<?>> listeners;

    /** Listeners fixed at construction. */
    public Events(List<Listener<?>> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /** Delivers an event to every listener for its type. */
    public void publish(GatehouseEvent event) {
        for (Listener<?> l : listeners) {
            l.deliver(event);
        }
    }

    /**
     * A listener for one event type.
     *
     * @param type     the event class (subtypes included)
     * @param consumer what to do
     * @param <T>      event type
     */
    public record Listener<T extends GatehouseEvent>(Class<T> type, Consumer<? super T> consumer) {
        void deliver(GatehouseEvent e) {
            if (type.isInstance(e)) {
                try {
                    consumer.accept(type.cast(e));
                } catch (RuntimeException ex) {
                    LOG.warn("event listener for {} failed", type.getSimpleName(), ex);
                }
            }
        }
    }
}
