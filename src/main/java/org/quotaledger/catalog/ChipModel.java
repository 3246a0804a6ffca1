package org.quotaledger.catalog;

/** A chip model and its TPP per unit; {@code tppPerUnit} is null where no figure is public yet. */
public record ChipModel(String model, String vendor, String eccn, Long tppPerUnit, String source) {
}
