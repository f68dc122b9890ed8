package org.open311.gateway.updates;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A resident's update as validated: the client's own update_id, the status the resident asks for (OPEN,
 * CLOSED, FIXED, REOPEN…: a wish for the back end, never the request's status), the text, photos by URL, and
 * contact data (for the back end only, never shown).
 */
record NewUpdate(String requestId, String clientUpdateId, String status, String description, OffsetDateTime updatedDatetime,
                 List<String> mediaUrls, String email, String firstName, String lastName, String phone) {
}
