package pot.login.adapters.portal;

import io.micronaut.json.tree.JsonNode;
import pot.login.domain.port.out.UserProfile;

/**
 * The portal's {@code /api/me} answer: a JSON-LD Person. Only the fields we show are read; {@code @context},
 * {@code @type} and whatever the portal adds later are ignored. Read from the JSON tree rather than bound to a record,
 * so that a document we cannot use says which field is missing or of the wrong type (a number where a name should
 * be would otherwise be coerced, or fail as "unreadable" without saying where).
 */
final class PersonDocument {

    static final String ID = "@id";

    /** A person, or what keeps this document from being one, in words that are safe to log (no field values). */
    sealed interface Reading {
        record Person(UserProfile profile) implements Reading {
        }

        record Unusable(String detail) implements Reading {
        }
    }

    private PersonDocument() {
    }

    static Reading read(JsonNode document) {
        if (!document.isObject()) {
            return new Reading.Unusable("user document is not a JSON object but " + kind(document));
        }
        JsonNode id = document.get(ID);
        if (id == null || id.isNull()) {
            return new Reading.Unusable("user document without " + ID);
        }
        if (!id.isString()) {
            return new Reading.Unusable("user document whose " + ID + " is " + kind(id) + ", not a string");
        }
        if (id.getStringValue().isBlank()) {
            return new Reading.Unusable("user document whose " + ID + " is blank");
        }
        String[] names = {"firstName", "lastName", "email"};
        String[] values = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            JsonNode value = document.get(names[i]);
            if (value != null && !value.isNull() && !value.isString()) {
                return new Reading.Unusable("user document whose " + names[i] + " is " + kind(value) + ", not a string");
            }
            values[i] = value == null || value.isNull() ? null : value.getStringValue();
        }
        return new Reading.Person(new UserProfile(id.getStringValue(), values[0], values[1], values[2]));
    }

    private static String kind(JsonNode node) {
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        return node.isString() ? "a string" : "null";
    }
}
