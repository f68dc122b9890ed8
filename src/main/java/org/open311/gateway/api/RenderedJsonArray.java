package org.open311.gateway.api;

import java.util.List;

/**
 * A JSON array of items written already (see {@code RenderedRequests}): written out as {@code [a,b]},
 * the same bytes Jackson writes for the list of the items. JSON only; XML answers never use it.
 */
public record RenderedJsonArray(List<byte[]> items) implements ApiBody {

    /** The array, copied once into an array of its exact size (a list answer is ~200 KB). */
    public byte[] bytes() {
        int size = 2 + Math.max(0, items.size() - 1);
        for (byte[] item : items) {
            size += item.length;
        }
        byte[] array = new byte[size];
        int at = 0;
        array[at++] = '[';
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                array[at++] = ',';
            }
            byte[] item = items.get(i);
            System.arraycopy(item, 0, array, at, item.length);
            at += item.length;
        }
        array[at] = ']';
        return array;
    }
}
