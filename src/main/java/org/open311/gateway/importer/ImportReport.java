package org.open311.gateway.importer;

import java.io.PrintWriter;
import java.util.Map;

/** What an operator sees of an import: a progress line on stderr now and then, the summary at the end. */
public final class ImportReport {

    private static final long PROGRESS_EVERY_NANOS = 2_000_000_000L;

    private final PrintWriter out;
    private final PrintWriter err;
    private final long fileBytes;
    private final long started = System.nanoTime();
    private long lastShown = started;

    public ImportReport(PrintWriter out, PrintWriter err, long fileBytes) {
        this.out = out;
        this.err = err;
        this.fileBytes = fileBytes;
    }

    public void progress(RequestImporter.Summary soFar, long bytesRead) {
        long now = System.nanoTime();
        if (now - lastShown < PROGRESS_EVERY_NANOS) {
            return;
        }
        lastShown = now;
        err.printf("%s read %,d  imported %,d  skipped %,d  rejected %,d  (%,d items/s)%n",
                fileBytes == 0 ? "" : Math.min(100, bytesRead * 100 / fileBytes) + " %", soFar.read(), soFar.imported(),
                soFar.skipped(), soFar.rejected(), soFar.read() * 1_000_000_000L / Math.max(1, now - started));
    }

    public void summary(RequestImporter.Summary summary) {
        out.printf("Imported %,d, skipped %,d (already stored), rejected %,d, of %,d items read in %.1f s%n",
                summary.imported(), summary.skipped(), summary.rejected(), summary.read(),
                (System.nanoTime() - started) / 1e9);
        for (RequestImporter.Rejection rejection : summary.rejections()) {
            out.printf("  rejected item %d%s: %s%n", rejection.item(),
                    rejection.id() == null ? "" : " (" + rejection.id() + ")", rejection.reason());
        }
        if (summary.rejected() > summary.rejections().size()) {
            out.printf("  ... and %,d more rejected items; by field:%n", summary.rejected() - summary.rejections().size());
            for (Map.Entry<String, Long> field : summary.rejectedByField().entrySet()) {
                out.printf("    %s: %,d%n", field.getKey(), field.getValue());
            }
        }
    }
}
