package org.open311.gateway.catalogue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks what the file shapes cannot: references, uniqueness, required translations, vocabularies. */
final class CatalogueValidator {

    static final String SERVICES_FILE = "services.yaml";
    static final String STATUSES_FILE = "statuses.yaml";
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.-]{1," + ServiceEntry.CODE_MAX + "}");

    private final List<String> problems = new ArrayList<>();

    static List<String> validate(ServicesFile services, StatusesFile statuses) {
        CatalogueValidator validator = new CatalogueValidator();
        validator.checkServicesFile(services);
        validator.checkStatusesFile(statuses);
        return validator.problems;
    }

    private void checkServicesFile(ServicesFile file) {
        Map<String, ServicesFile.Group> groups = file.groups() == null ? Map.of() : file.groups();
        groups.forEach((id, group) -> {
            if (group == null || group.name() == null || !group.name().hasEnglish()) {
                problems.add(SERVICES_FILE + ": group '" + id + "' field name.en: required (English is the fallback language)");
            }
        });
        if (file.services() == null || file.services().isEmpty()) {
            problems.add(SERVICES_FILE + ": field services: at least one service is required");
            return;
        }
        Map<String, Integer> firstIndexByCode = new HashMap<>();
        for (int i = 0; i < file.services().size(); i++) {
            ServiceEntry service = file.services().get(i);
            String entry = SERVICES_FILE + ": service '" + (service == null ? "" : service.code()) + "' (services[" + i + "])";
            if (service == null) {
                problems.add(entry + ": empty entry");
                continue;
            }
            checkService(entry, service, groups.keySet());
            if (service.code() != null) {
                Integer first = firstIndexByCode.putIfAbsent(service.code(), i);
                if (first != null) {
                    problems.add(entry + " field code: duplicate service code, also used by services[" + first + "]");
                }
            }
        }
    }

    private void checkService(String entry, ServiceEntry service, Set<String> groupIds) {
        if (service.code() == null || service.code().isBlank()) {
            problems.add(entry + " field code: required");
        } else if (!CODE.matcher(service.code()).matches()) {
            problems.add(entry + " field code: use 1-" + ServiceEntry.CODE_MAX + " letters, digits, '.', '_' or '-'");
        }
        requireEnglish(entry, "name", service.name());
        requireEnglish(entry, "description", service.description());
        if (service.group() == null || service.group().isBlank()) {
            problems.add(entry + " field group: required");
        } else if (!groupIds.contains(service.group())) {
            problems.add(entry + " field group: unknown group '" + service.group() + "' (define it under groups:)");
        }
        if (service.routing() == null || isBlank(service.routing().crmCategory())) {
            problems.add(entry + " field routing.crm_category: required (every request goes to the CRM)");
        }
        if (service.routing() != null && service.routing().isPublicWorks()
                && service.routing().aspaWorkType().length() > ServiceEntry.CODE_MAX) {
            problems.add(entry + " field routing.aspa_work_type: at most " + ServiceEntry.CODE_MAX + " characters");
        }
        checkAttributes(entry, service.attributeList());
    }

    private void checkAttributes(String entry, List<ServiceEntry.AttributeEntry> attributes) {
        Set<String> codes = new HashSet<>();
        Map<Integer, String> orders = new HashMap<>();
        for (int j = 0; j < attributes.size(); j++) {
            ServiceEntry.AttributeEntry attribute = attributes.get(j);
            String field = entry + " field attributes[" + j + "]";
            if (attribute == null) {
                problems.add(field + ": empty entry");
                continue;
            }
            if (isBlank(attribute.code())) {
                problems.add(field + ".code: required");
            } else if (!CODE.matcher(attribute.code()).matches()) {
                problems.add(field + ".code: use 1-64 letters, digits, '.', '_' or '-'");
            } else if (!codes.add(attribute.code())) {
                problems.add(field + ".code: duplicate attribute code '" + attribute.code() + "'");
            }
            if (attribute.order() == null) {
                problems.add(field + ".order: required");
            } else if (attribute.order() < 1) {
                problems.add(field + ".order: must be a positive integer");
            } else {
                String other = orders.putIfAbsent(attribute.order(), attribute.code());
                if (other != null) {
                    problems.add(field + ".order: duplicate order " + attribute.order() + ", also used by attribute '" + other + "'");
                }
            }
            requireEnglish(field.substring(0, field.indexOf(" field")), "attributes[" + j + "].description", attribute.description());
            checkDatatype(field, attribute);
        }
    }

    private void checkDatatype(String field, ServiceEntry.AttributeEntry attribute) {
        if (isBlank(attribute.datatype())) {
            problems.add(field + ".datatype: required (one of " + datatypes() + ")");
            return;
        }
        Datatype datatype = Datatype.fromWireName(attribute.datatype()).orElse(null);
        if (datatype == null) {
            problems.add(field + ".datatype: unknown datatype '" + attribute.datatype() + "' (one of " + datatypes() + ")");
            return;
        }
        List<ServiceEntry.ValueEntry> values = attribute.valueList();
        if (datatype.isList() && values.isEmpty()) {
            problems.add(field + ".values: required for datatype " + datatype.wireName());
        }
        if (!datatype.isList() && !values.isEmpty()) {
            problems.add(field + ".values: only singlevaluelist and multivaluelist attributes have values");
        }
        Set<String> keys = new HashSet<>();
        for (int k = 0; k < values.size(); k++) {
            ServiceEntry.ValueEntry value = values.get(k);
            String valueField = field + ".values[" + k + "]";
            if (value == null || isBlank(value.key())) {
                problems.add(valueField + ".key: required");
                continue;
            }
            if (!keys.add(value.key())) {
                problems.add(valueField + ".key: duplicate value key '" + value.key() + "'");
            }
            if (value.name() == null || !value.name().hasEnglish()) {
                problems.add(valueField + ".name.en: required (English is the fallback language)");
            }
        }
    }

    private void checkStatusesFile(StatusesFile file) {
        checkVocabulary("crm", file.crm(), DetailedStatus.Source.CRM);
        checkVocabulary("aspa", file.aspa(), DetailedStatus.Source.ASPA);
        if (file.open311() != null) {
            checkVocabulary("open311", file.open311(), DetailedStatus.Source.CRM);
        }
    }

    private void checkVocabulary(String name, StatusesFile.Vocabulary vocabulary, DetailedStatus.Source source) {
        String entry = STATUSES_FILE + ": " + name;
        if (vocabulary == null) {
            problems.add(entry + ": required");
            return;
        }
        if (vocabulary.states() == null || vocabulary.states().isEmpty()) {
            problems.add(entry + " field states: at least one state is required");
        } else {
            vocabulary.states().forEach((state, detailed) ->
                    checkStatus(entry + " field states." + state, detailed, source));
        }
        checkStatus(entry + " field unknown_state", vocabulary.unknownState(), source);
    }

    private void checkStatus(String field, String detailed, DetailedStatus.Source source) {
        DetailedStatus status = detailed == null ? null : DetailedStatus.parse(detailed).orElse(null);
        if (status == null || status.source() != source) {
            problems.add(field + ": unknown status '" + detailed + "' (one of " + statusesOf(source) + ")");
        }
    }

    private void requireEnglish(String entry, String field, LocalizedText text) {
        if (text == null || !text.hasEnglish()) {
            problems.add(entry + " field " + field + ".en: required (English is the fallback language)");
        }
    }

    private static String datatypes() {
        return String.join(", ", java.util.Arrays.stream(Datatype.values()).map(Datatype::wireName).toList());
    }

    private static String statusesOf(DetailedStatus.Source source) {
        return String.join(", ", java.util.Arrays.stream(DetailedStatus.values())
                .filter(s -> s.source() == source).map(Enum::name).toList());
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
