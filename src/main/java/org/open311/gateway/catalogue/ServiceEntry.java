package org.open311.gateway.catalogue;

import java.util.List;

/** One service of mappings/services.yaml, as a CRM admin writes it. */
public record ServiceEntry(
        String code,
        Boolean active,
        String group,
        LocalizedText name,
        LocalizedText description,
        LocalizedKeywords keywords,
        Routing routing,
        List<AttributeEntry> attributes) {

    /** The longest service code or Aspa work type: each request keeps both, in columns of this size. */
    public static final int CODE_MAX = 64;

    /** Where requests for the service go: always a CRM category, for public works also an Aspa work type. */
    public record Routing(String crmCategory, String aspaWorkType) {
        public boolean isPublicWorks() {
            return aspaWorkType != null && !aspaWorkType.isBlank();
        }
    }

    /** A GeoReport v2 service-definition attribute. */
    public record AttributeEntry(
            String code,
            Integer order,
            String datatype,
            Boolean required,
            Boolean variable,
            LocalizedText description,
            LocalizedText datatypeDescription,
            List<ValueEntry> values) {

        public boolean isRequired() {
            return Boolean.TRUE.equals(required);
        }

        /** Attributes are variable (the client asks for a value) unless the file says otherwise. */
        public boolean isVariable() {
            return !Boolean.FALSE.equals(variable);
        }

        public Datatype type() {
            return Datatype.fromWireName(datatype).orElseThrow();
        }

        public List<ValueEntry> valueList() {
            return values == null ? List.of() : values;
        }
    }

    public record ValueEntry(String key, LocalizedText name) {
    }

    /** Services are active unless the file retires them with {@code active: false}. */
    public boolean isActive() {
        return !Boolean.FALSE.equals(active);
    }

    public List<AttributeEntry> attributeList() {
        return attributes == null ? List.of() : attributes;
    }

    public LocalizedKeywords keywordsOrNone() {
        return keywords == null ? LocalizedKeywords.NONE : keywords;
    }
}
