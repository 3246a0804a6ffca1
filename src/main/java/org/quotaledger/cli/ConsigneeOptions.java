package org.quotaledger.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Option;

/** Who receives the chips: the consignee of a shipment or a reservation. */
final class ConsigneeOptions {

    @Option(names = "--consignee-id", required = true, paramLabel = "ID", description = "The consignee's id.")
    String id;

    @Option(names = "--consignee-name", required = true, paramLabel = "NAME", description = "The consignee's name.")
    String name;

    @Option(names = "--consignee-country", required = true, paramLabel = "CC",
            description = "The consignee's headquarters country (ISO 3166-1 alpha-2).")
    String headquartersCountry;

    Map<String, Object> body() {
        Map<String, Object> consignee = new LinkedHashMap<>();
        consignee.put("id", id);
        consignee.put("name", name);
        consignee.put("headquartersCountry", headquartersCountry);
        return consignee;
    }
}
