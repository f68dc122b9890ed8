package org.open311.gateway.backends;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.open311.gateway.catalogue.DetailedStatus;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place where the back ends' records of a request become what clients see: {@code status},
 * the merged {@code detailed_status} and {@code tasks}. Every path that changes a back end's record (feed,
 * push, resync, import) ends here, so they cannot disagree.
 *
 * <p>The rule: the first back end that {@linkplain Role#DECIDES decides} the status (a case system such as
 * the feedback CRM) gives {@code status} and the first part of {@code detailed_status}; each back end that
 * keeps {@linkplain Role#TASK tasks} (a work-order system such as Aspa) adds its detailed status after a comma
 * and its work order to {@code tasks}, in the order the back ends are configured: IN_PROCESS,PUBLIC_WORKS_NEW.
 * Without a deciding record yet (not delivered), the request keeps the status it has.
 */
public final class StatusMerge {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a back end's record means for clients. */
    public enum Role {
        /** Its state decides open or closed and the detailed status's first part. */
        DECIDES,
        /** It keeps a work order: a task and a detailed status after the deciding one. */
        TASK
    }

    /** One back end's record of the request, as the store holds it (backend_record). */
    public record Part(String backend, Role role, String detailedStatus, String remoteId, String category,
                       String owner, OffsetDateTime createdAt, OffsetDateTime modifiedAt) {
    }

    /** What clients see. {@code tasks} is JSON (the request row's tasks column), null when there is none. */
    public record Merged(String status, String detailedStatus, String tasks) {
    }

    private StatusMerge() {
    }

    /**
     * Merges the records (in the configured order of their back ends) over the request's current status and
     * detailed status.
     */
    public static Merged merge(String currentStatus, String currentDetailed, List<Part> parts) {
        String status = currentStatus;
        String first = currentDetailed == null ? "" : currentDetailed.split(",", 2)[0];
        Part decider = parts.stream().filter(p -> p.role() == Role.DECIDES && p.detailedStatus() != null).findFirst().orElse(null);
        if (decider != null) {
            first = decider.detailedStatus();
            status = DetailedStatus.parse(first).map(DetailedStatus::open311Status).orElse(currentStatus);
        }
        List<String> detailed = new ArrayList<>(List.of(first));
        ArrayNode tasks = JSON.createArrayNode();
        for (Part part : parts) {
            if (part.role() != Role.TASK) {
                continue;
            }
            if (part.detailedStatus() != null && !part.detailedStatus().isBlank()) {
                detailed.add(part.detailedStatus());
            }
            if (part.remoteId() != null) {
                tasks.add(task(part));
            }
        }
        return new Merged(status, String.join(",", detailed), tasks.isEmpty() ? null : write(tasks));
    }

    /** A task as the tasks column holds it: the back end, the work type, its status, times in UTC, the owner. */
    private static ObjectNode task(Part part) {
        ObjectNode task = JSON.createObjectNode();
        task.put("backend", part.backend());
        task.put("type", part.category());
        task.put("status", part.detailedStatus());
        task.put("created_at", utc(part.createdAt()));
        task.put("modified_at", utc(part.modifiedAt()));
        task.put("owner", part.owner());
        return task;
    }

    private static String utc(OffsetDateTime time) {
        return time == null ? null : time.withOffsetSameInstant(ZoneOffset.UTC).toString();
    }

    private static String write(ArrayNode tasks) {
        try {
            return JSON.writeValueAsString(tasks);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
