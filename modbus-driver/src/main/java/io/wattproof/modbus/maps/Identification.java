package io.wattproof.modbus.maps;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How to recognise the meter from its device identification objects (FC 43 / MEI 14, Application
 * Protocol V1.1b3 section 6.21): object 0x00 VendorName compared case-insensitively, and a Java
 * regular expression found in object 0x01 ProductCode or 0x05 ModelName. At least one is present.
 */
public record Identification(Optional<String> vendorName, Optional<String> productCode) {
    public Identification {
        if (vendorName.isEmpty() && productCode.isEmpty()) {
            throw new IllegalArgumentException("identification: expected vendor_name or product_code");
        }
        productCode.ifPresent(Pattern::compile); // throws PatternSyntaxException for an invalid one
    }

    /**
     * True if the given objects match every criterion present (an absent object never matches a
     * criterion that needs it).
     */
    public boolean matches(Optional<String> vendor, Optional<String> code, Optional<String> modelName) {
        if (vendorName.isPresent()
                && !vendor.map(v -> v.strip().toLowerCase(Locale.ROOT).equals(vendorName.get().toLowerCase(Locale.ROOT)))
                        .orElse(false)) {
            return false;
        }
        if (productCode.isPresent()) {
            Pattern p = Pattern.compile(productCode.get());
            return code.map(c -> p.matcher(c).find()).orElse(false)
                    || modelName.map(m -> p.matcher(m).find()).orElse(false);
        }
        return true;
    }
}
