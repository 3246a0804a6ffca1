package org.quotaledger.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.quotaledger.infra.PostgresChannels;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The chip catalog: model, ECCN, TPP per unit. Seeded from {@code catalog/chips.json}; a
 * regulator may set a figure that was not public. A shipment event records the TPP per unit it
 * was counted with, so a later change never rewrites history.
 *
 * <p>Every shipment looks its models up, so the models are kept in memory once read. A change
 * empties that memory on this node when it commits and, through a PostgreSQL channel, on every
 * other node moments later (the channel is polled every half second): a shipment decided in
 * between on another node counts with the figure before the change, as it would have a moment
 * earlier, and its event says which figure it used.
 */
@Component
public class ChipCatalog {

    static final String CHANNEL = "ql_catalog_changed";

    private final JdbcTemplate jdbc;
    private final PostgresChannels channels;
    private final Map<String, ChipModel> known = new ConcurrentHashMap<>();

    ChipCatalog(JdbcTemplate jdbc, ObjectMapper json, PostgresChannels channels) throws IOException {
        this.jdbc = jdbc;
        this.channels = channels;
        seed(json);
        if (channels.available()) {
            channels.listen(CHANNEL, model -> known.clear());
            channels.onReconnect(known::clear);
        }
    }

    private void seed(ObjectMapper json) throws IOException {
        List<ChipModel> seed;
        try (InputStream in = new ClassPathResource("catalog/chips.json").getInputStream()) {
            seed = json.readValue(in, new TypeReference<>() { });
        }
        for (ChipModel chip : seed) {
            if (read(chip.model()).isEmpty()) {
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

    /** A model as last read; unknown models are read each time (they are refused requests, not kept). */
    public Optional<ChipModel> find(String model) {
        ChipModel chip = known.get(model);
        if (chip != null) {
            return Optional.of(chip);
        }
        Optional<ChipModel> read = read(model);
        read.ifPresent(found -> known.put(model, found));
        return read;
    }

    private Optional<ChipModel> read(String model) {
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
        if (updated == 0) {
            return Optional.empty();
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                known.clear();
            }
        });
        if (channels.available()) {
            channels.notify(CHANNEL, model);
        }
        return read(model);
    }
}
