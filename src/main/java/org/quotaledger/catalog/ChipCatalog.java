package org.quotaledger.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The chip catalog: model, ECCN, TPP per unit. Seeded from {@code catalog/chips.json}; a
 * regulator may set a figure that was not public. A shipment event records the TPP per unit it
 * was counted with, so a later change never rewrites history.
 */
@Component
public class ChipCatalog {

    private final JdbcTemplate jdbc;

    ChipCatalog(JdbcTemplate jdbc, ObjectMapper json) throws IOException {
        this.jdbc = jdbc;
        seed(json);
    }

    private void seed(ObjectMapper json) throws IOException {
        List<ChipModel> seed;
        try (InputStream in = new ClassPathResource("catalog/chips.json").getInputStream()) {
            seed = json.readValue(in, new TypeReference<>() { });
        }
        for (ChipModel chip : seed) {
            if (find(chip.model()).isEmpty()) {
                insert(chip);
            }
        }
    }

    private void insert(ChipModel chip) {
        try {
            jdbc.update("INSERT INTO chip_model (model, vendor, eccn, tpp_per_unit, source) VALUES (?, ?, ?, ?, ?)",
                    chip.model(), chip.vendor(), chip.eccn(), chip.tppPerUnit(), chip.source());
        } catch (org.springframework.dao.DuplicateKeyException anotherNodeSeededIt) {
            // the row is there, which is all seeding wants
        }
    }

    public Optional<ChipModel> find(String model) {
        return jdbc.query("SELECT model, vendor, eccn, tpp_per_unit, source FROM chip_model WHERE model = ?",
                (row, i) -> new ChipModel(row.getString("model"), row.getString("vendor"), row.getString("eccn"),
                        (Long) row.getObject("tpp_per_unit", Long.class), row.getString("source")), model)
                .stream().findFirst();
    }

    public List<ChipModel> all() {
        return jdbc.query("SELECT model, vendor, eccn, tpp_per_unit, source FROM chip_model ORDER BY vendor, model",
                (row, i) -> new ChipModel(row.getString("model"), row.getString("vendor"), row.getString("eccn"),
                        (Long) row.getObject("tpp_per_unit", Long.class), row.getString("source")));
    }

    /** Sets a model's TPP per unit, and says where the figure comes from. */
    @Transactional
    public Optional<ChipModel> setTpp(String model, long tppPerUnit, String source) {
        int updated = jdbc.update("UPDATE chip_model SET tpp_per_unit = ?, source = ? WHERE model = ?",
                tppPerUnit, source, model);
        return updated == 0 ? Optional.empty() : find(model);
    }
}
