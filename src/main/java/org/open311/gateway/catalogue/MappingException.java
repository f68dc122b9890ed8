package org.open311.gateway.catalogue;

import java.util.List;

/** The mapping files are invalid; each problem names the file, the entry and the field. */
public class MappingException extends RuntimeException {

    private final List<String> problems;

    public MappingException(List<String> problems) {
        super("Invalid mappings:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
