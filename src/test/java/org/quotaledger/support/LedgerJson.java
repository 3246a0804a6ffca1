package org.quotaledger.support;

import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The JSON mapper as application.yml configures the service's (strict), which also stores and reads its events. */
public final class LedgerJson {

    public static final ObjectMapper STRICT = Jackson2ObjectMapperBuilder.json()
            .featuresToEnable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                    DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .featuresToDisable(DeserializationFeature.ACCEPT_FLOAT_AS_INT, MapperFeature.ALLOW_COERCION_OF_SCALARS,
                    SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private LedgerJson() {
    }
}
