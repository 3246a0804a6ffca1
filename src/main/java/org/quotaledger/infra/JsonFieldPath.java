package org.quotaledger.infra;

import java.util.List;

import com.fasterxml.jackson.databind.JsonMappingException;

/** The field a JSON mapping failure points at, as problems name fields: {@code items[0].quantity}. */
public final class JsonFieldPath {

    private JsonFieldPath() {
    }

    public static String of(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
