package org.open311.gateway.api;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * A JSON array of items written already (see {@code RenderedRequests}): written out as {@code [a,b]},
 * the same bytes Jackson writes for the list of the items. JSON only; XML answers never use it.
 */
public record RenderedJsonArray(List<byte[]> items) implements ApiBody {

    public byte[] bytes() {
        int size = 2 + Math.max(0, items.size() - 1);
        for (byte[] item : items) {
            size += item.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.write('[');
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(items.get(i));
        }
        out.write(']');
        return out.toByteArray();
    }
}
