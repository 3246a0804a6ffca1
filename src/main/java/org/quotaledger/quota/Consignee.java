package org.quotaledger.quota;

/** The party that receives a shipment. */
public record Consignee(String id, String name, String headquartersCountry) {
}
