package dev.gatehouse.web;

import java.util.Map;

/** Serves one Gatehouse URL. Access and CSRF rules are checked by the router before it runs. */
@FunctionalInterface
public interface Endpoint {

    /**
     * Handles the request.
     *
     * @param ex         the exchange
     * @param pathParams values of {@code {name}} segments of the route's path
     * @throws Exchange.BadRequestException when the request cannot be read
     */
    HttpResponse handle(Exchange ex, Map<String, String> pathParams) throws Exchange.BadRequestException;
}
