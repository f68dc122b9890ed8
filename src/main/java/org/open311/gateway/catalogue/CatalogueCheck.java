package org.open311.gateway.catalogue;

import java.util.List;

/**
 * A check of a valid catalogue against what lies outside the files (the stored requests), before it
 * goes into service. Its problems refuse the catalogue like any problem in the files.
 */
@FunctionalInterface
public interface CatalogueCheck {

    CatalogueCheck NONE = (inService, next) -> List.of();

    /**
     * @param inService the catalogue in service, or null at start-up
     * @param next      the catalogue that would go into service
     * @return one message per problem; empty when the catalogue may go into service
     */
    List<String> problems(Catalogue inService, Catalogue next);

    /** The check could not be made now (e.g. the store did not answer): the edit is neither accepted nor refused. */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
