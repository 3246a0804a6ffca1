package org.quotaledger.catalog;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

@RestController
@RequestMapping("/api/v1/catalog")
class CatalogController {

    /** The largest TPP per unit accepted: a thousand times today's largest chips. */
    static final long MAX_TPP_PER_UNIT = 100_000_000L;

    record TppUpdate(@NotNull @Positive @Max(MAX_TPP_PER_UNIT) Long tppPerUnit,
                     @NotBlank @Size(max = 500) String source) {
    }

    private final ChipCatalog catalog;

    CatalogController(ChipCatalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping
    List<ChipModel> all() {
        return catalog.all();
    }

    @GetMapping("/{model}")
    ChipModel one(@PathVariable String model) {
        return catalog.find(model).orElseThrow(() -> notFound(model));
    }

    /** A regulator sets a TPP figure, e.g. once a vendor publishes it. */
    @PutMapping("/{model}")
    ChipModel setTpp(@PathVariable String model, @Valid @RequestBody TppUpdate update) {
        return catalog.setTpp(model, update.tppPerUnit(), update.source()).orElseThrow(() -> notFound(model));
    }

    private static ResponseStatusException notFound(String model) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no chip model " + model + " in the catalog");
    }
}
