package org.asynctask.exporter.provider;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.asynctask.exporter.Json;

/**
 * A list answer read straight from the body's tokens, with no tree of the page in between (issue 24): each
 * element of the list field goes to an {@link ElementReader}, the few other fields asked for are kept as small
 * trees, the rest is skipped. Where a field comes twice the last counts, as in a tree.
 */
public final class ListTokens {
    private ListTokens() {}

    /** Reads one element of a list, the parser at its first token, up to its last. */
    @FunctionalInterface
    public interface ElementReader<T> {
        /** @throws IllegalArgumentException when the element is unusable, once it is read to its last token */
        T read(JsonParser element) throws IOException;
    }

    /**
     * The list's items, and the fields kept (a field the answer has not is not in the map).
     *
     * @param unusable {@link #readWithin} only: why the list or one of its elements is unusable, or null; the
     *                 caller decides whether that matters (an error field beside it tells more)
     */
    public record Answer<T>(List<T> items, Map<String, JsonNode> fields, ProviderException unusable) {}

    /**
     * Reads a successful answer (the caller has classified error statuses); an unreadable body or item is a
     * retriable {@link ProviderException} naming {@code where}.
     *
     * @param nullIsEmpty a JSON null list is an empty one; else it is as malformed as a list that is not an array
     */
    public static <T> Answer<T> read(
            String where,
            HttpReply reply,
            String listField,
            Set<String> keep,
            boolean nullIsEmpty,
            ElementReader<T> item) {
        Answer<T> answer = readWithin(where, reply, null, listField, keep, nullIsEmpty, item);
        if (answer == null) {
            throw ProviderException.malformed(where, reply.status(), "body is not a JSON object");
        }
        if (answer.unusable() != null) {
            throw answer.unusable();
        }
        return answer;
    }

    /**
     * {@link #read}, of the list in the object {@code enclosing} of the body ({@code {"Response": {…}}}, where
     * the other fields of the body are skipped), or, with {@code enclosing} null, in the body itself; null when
     * there is no such object. An unusable list or element does not stop the reading: it is in {@link
     * Answer#unusable}.
     */
    public static <T> Answer<T> readWithin(
            String where,
            HttpReply reply,
            String enclosing,
            String listField,
            Set<String> keep,
            boolean nullIsEmpty,
            ElementReader<T> item) {
        byte[] body = reply.content() == null ? new byte[0] : reply.content();
        try (JsonParser p = Json.MAPPER.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                p.skipChildren();
                return null;
            }
            if (enclosing == null) {
                return fields(where, reply, p, listField, keep, nullIsEmpty, item);
            }
            Answer<T> found = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean enclosingField = p.currentName().equals(enclosing);
                if (p.nextToken() == JsonToken.START_OBJECT && enclosingField) {
                    found = fields(where, reply, p, listField, keep, nullIsEmpty, item);
                } else {
                    if (enclosingField) {
                        found = null;
                    }
                    p.skipChildren();
                }
            }
            return found;
        } catch (IOException e) {
            throw ProviderException.malformed(
                    where, reply.status(), "body is not JSON (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The fields of the object the parser is at, up to its end. */
    private static <T> Answer<T> fields(
            String where,
            HttpReply reply,
            JsonParser p,
            String listField,
            Set<String> keep,
            boolean nullIsEmpty,
            ElementReader<T> item)
            throws IOException {
        List<T> items = new ArrayList<>();
        Map<String, JsonNode> fields = new HashMap<>();
        ProviderException unusable = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals(listField)) {
                items.clear();
                unusable = null;
                if (value == JsonToken.START_ARRAY) {
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        try {
                            items.add(item.read(p));
                        } catch (IllegalArgumentException e) {
                            // The element was read to its end: the rest of the body is still read.
                            unusable = unusable != null
                                    ? unusable
                                    : ProviderException.malformed(where, reply.status(), e.getMessage());
                        }
                    }
                } else if (value != JsonToken.VALUE_NULL || !nullIsEmpty) {
                    unusable =
                            ProviderException.malformed(where, reply.status(), "'" + listField + "' is not an array");
                    p.skipChildren();
                }
            } else if (keep.contains(field)) {
                fields.put(field, Json.MAPPER.readTree(p));
            } else {
                p.skipChildren();
            }
        }
        return new Answer<>(items, fields, unusable);
    }

    /** A reader that maps each element's tree: for lists of few elements (functions), not pages of tasks. */
    public static <T> ElementReader<T> asTree(Function<JsonNode, T> map) {
        return element -> {
            JsonNode node = Json.MAPPER.readTree(element);
            return map.apply(node == null ? NullNode.getInstance() : node);
        };
    }

    /** A value as text, as a tree's {@code asText()} gives it: null for JSON null, "" for an object or array. */
    public static String text(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_NULL -> null;
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT ->
                p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? p.getBigIntegerValue().toString()
                        : Long.toString(p.getLongValue());
            case VALUE_NUMBER_FLOAT -> Double.toString(p.getDoubleValue());
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            default -> {
                p.skipChildren();
                yield "";
            }
        };
    }
}
