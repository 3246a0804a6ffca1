package org.quotaledger.infra;

import java.io.IOException;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

/**
 * Refuses text with control characters (NUL and friends; tab and line breaks are fine) and
 * invisible formatting characters (right-to-left overrides, zero-width joiners, byte-order marks)
 * anywhere in a JSON body. A legal record must read the same on every screen, and PostgreSQL
 * cannot store NUL at all.
 */
@Component
public class PlainTextModule extends SimpleModule {

    /** The text is not plain; the message names the character. */
    public static final class NotPlainTextException extends JsonMappingException {
        NotPlainTextException(JsonParser parser, String message) {
            super(parser, message);
        }
    }

    public PlainTextModule() {
        super("plain-text");
        addDeserializer(String.class, new StringDeserializer() {
            @Override
            public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                String value = super.deserialize(parser, context);
                if (value != null) {
                    check(parser, value);
                }
                return value;
            }
        });
    }

    private static void check(JsonParser parser, String value) throws NotPlainTextException {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\t' || c == '\n' || c == '\r') {
                continue;
            }
            int type = Character.getType(c);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE) {
                throw new NotPlainTextException(parser, String.format(
                        "contains the invisible or control character U+%04X at position %d", (int) c, i));
            }
        }
    }
}
