package org.open311.gateway.importer;

import java.time.OffsetDateTime;
import java.util.List;

/** One request of an export, checked and ready to store (datetimes in UTC). */
public record ImportedRequest(
        String id,
        String serviceCode,
        String status,
        String detailedStatus,
        String aspaDetailedStatus,
        String statusNotes,
        String description,
        String title,
        String agencyResponsible,
        String serviceNotice,
        OffsetDateTime requestedAt,
        OffsetDateTime updatedAt,
        OffsetDateTime expectedAt,
        String address,
        Double lat,
        Double lon,
        String serviceObjectId,
        String serviceObjectType,
        List<String> mediaUrls,
        boolean published,
        String aspaWorkType,
        Task task) {

    /** A public-works task (work order) as the export lists it; only its details are known, not Aspa's id. */
    public record Task(String type, String state, OffsetDateTime createdAt, OffsetDateTime modifiedAt,
                       String owner) {
    }
}
