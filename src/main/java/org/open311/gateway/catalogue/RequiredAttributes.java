package org.open311.gateway.catalogue;

import java.util.ArrayList;
import java.util.List;

/**
 * What a required attribute costs: the city's API document tells app developers that no service has
 * attributes, so apps written to it post without any, and every such post to a service with a required
 * attribute is refused (400). Not an error in the files (a CRM may truly need an answer), so a warning that
 * names the cost, for CRM admins validating an edit (docs/mappings.md).
 */
public final class RequiredAttributes {

    private RequiredAttributes() {
    }

    /** One warning per required attribute of an active service; none for a catalogue that accepts posts without attributes. */
    public static List<String> warnings(Catalogue catalogue) {
        List<String> warnings = new ArrayList<>();
        for (ServiceEntry service : catalogue.activeServices()) {
            for (ServiceEntry.AttributeEntry attribute : service.attributeList()) {
                if (attribute.isRequired() && attribute.isVariable()) {
                    warnings.add("Warning: service '" + service.code() + "' attribute '" + attribute.code() + "' is required:"
                            + " apps written to the city's API document send no attributes, so each of their posts to this"
                            + " service is refused (docs/mappings.md#what-a-required-attribute-costs)");
                }
            }
        }
        return warnings;
    }
}
