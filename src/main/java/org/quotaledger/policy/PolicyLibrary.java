package org.quotaledger.policy;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.quotaledger.policy.rules.PolicyDocument;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The policy documents shipped in {@code classpath:policies/}: drafts until a regulator enacts them. */
@Component
public class PolicyLibrary {

    private final Map<String, PolicyDocument> documents = new TreeMap<>();

    PolicyLibrary(ObjectMapper json) throws IOException {
        for (Resource resource : new PathMatchingResourcePatternResolver().getResources("classpath:policies/*.json")) {
            try (InputStream in = resource.getInputStream()) {
                PolicyDocument document = json.readValue(in, PolicyDocument.class);
                documents.put(document.id(), document);
            }
        }
    }

    public Optional<PolicyDocument> find(String id) {
        return Optional.ofNullable(documents.get(id));
    }

    public Map<String, PolicyDocument> all() {
        return Map.copyOf(documents);
    }
}
