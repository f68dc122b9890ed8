package org.open311.gateway.backends;

import java.time.OffsetDateTime;

/**
 * One change of a back end's record of a request, read from its feed, a push or a resync, in the
 * kind-free form the store applies (the kind's mapping reads its contract into this).
 *
 * @param detailedStatus what its state means, from its status vocabulary
 * @param updatedAt      when it changed, by the back end's clock (null: not said)
 * @param caseFields     what a deciding back end says of the request besides its state; null for a task
 * @param task           a task back end's work order; null for a deciding one
 * @param furtherCategory non-null when the change asks for a further back end (the CRM asking for public
 *                        works): the category it asks for (the work type)
 */
public record RemoteChange(String reference, String remoteId, String state, long version, String detailedStatus,
                           OffsetDateTime updatedAt, CaseFields caseFields, Task task, String furtherCategory) {

    /**
     * What a case system decides besides the state: shown as the request's own fields.
     *
     * @param publicTitle       the title its staff approved for publication, shown instead of the resident's; null: not edited
     * @param publicDescription the description its staff approved for publication; null: not edited
     * @param notesUpdateId     the gateway's id of the resident's update whose text staff published as the
     *                          status notes; null: the notes are staff's own
     */
    public record CaseFields(String statusNotes, String agencyResponsible, OffsetDateTime expectedAt, boolean published,
                             String publicTitle, String publicDescription, String notesUpdateId) {

        /** The store's columns (V1, V2, V20): what staff type is bounded by no contract. */
        static final int STATUS_NOTES_MAX = 5000;
        static final int AGENCY_MAX = 500;
        static final int TITLE_MAX = 200;
        static final int DESCRIPTION_MAX = 5000;

        /**
         * Staff's texts cut to their columns: a text too long for its column failed the write, and the feed stopped
         * at that change (its cursor never moved past it), holding back every later change of every request.
         */
        public CaseFields {
            statusNotes = clip(statusNotes, STATUS_NOTES_MAX);
            agencyResponsible = clip(agencyResponsible, AGENCY_MAX);
            publicTitle = clip(publicTitle, TITLE_MAX);
            publicDescription = clip(publicDescription, DESCRIPTION_MAX);
        }

        /** A case system that does not edit the resident's texts. */
        public CaseFields(String statusNotes, String agencyResponsible, OffsetDateTime expectedAt, boolean published) {
            this(statusNotes, agencyResponsible, expectedAt, published, null, null, null);
        }
    }

    /** A work order, shown as a task. */
    public record Task(String owner, OffsetDateTime createdAt, OffsetDateTime modifiedAt) {

        /** backend_record.owner (V11). */
        static final int OWNER_MAX = 200;

        /** The owner cut to its column, as {@link CaseFields}' texts. */
        public Task {
            owner = clip(owner, OWNER_MAX);
        }
    }

    /** The text cut to at most {@code max} characters, never between the halves of a surrogate pair; null stays null. */
    static String clip(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        return text.substring(0, Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max);
    }
}
