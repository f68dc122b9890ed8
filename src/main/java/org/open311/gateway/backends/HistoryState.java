package org.open311.gateway.backends;

import java.util.Objects;

/**
 * What clients see of a request in one request_history row, and whether a row is an update clients can see
 * (GET servicerequestupdates): it is published, and the request's previous row is none or unpublished, or
 * shows another status, detailed status or public notes (no notes and empty notes are the same). Decided when
 * the row is written, so that the feed reads flagged rows only (V22 flagged the rows written before by this rule).
 */
record HistoryState(String status, String detailedStatus, String statusNotes, boolean published) {

    /** True if this row, following {@code previous} (null: the request's first row), shows clients something new. */
    boolean showsChangeOver(HistoryState previous) {
        return published && (previous == null || !previous.published || !status.equals(previous.status)
                || !detailedStatus.equals(previous.detailedStatus) || !notes().equals(previous.notes()));
    }

    private String notes() {
        return Objects.requireNonNullElse(statusNotes, "");
    }
}
