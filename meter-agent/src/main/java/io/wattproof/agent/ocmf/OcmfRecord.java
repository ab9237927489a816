package io.wattproof.agent.ocmf;

import io.wattproof.agent.ocmf.OcmfCodes.EnergyUnit;
import io.wattproof.agent.ocmf.OcmfCodes.ErrorFlag;
import io.wattproof.agent.ocmf.OcmfCodes.IdentificationFlag;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One signed OCMF record, {@code OCMF|<payload>|<signature>} (OCMF-en.md "Sections"). The payload
 * is kept as the exact text that was signed: OCMF verifies the signature over the payload section
 * as written, so it must never be re-serialised (and whitespace added for display breaks it).
 *
 * @param payload the payload section, a JSON object without whitespace
 * @param signatureDer ECDSA {@code SEQUENCE { r INTEGER, s INTEGER }} (RFC 3279 §2.2.3), SM
 *     "application/x-der"
 */
public record OcmfRecord(String payload, byte[] signatureDer) {

    public static final String HEADER = "OCMF";
    /** Written as FV. Every field we write exists in 1.0, which all OCMF tooling reads. */
    public static final String FORMAT_VERSION = "1.0";
    /** SA: the only method a P-256 device key can produce (OCMF table 22). */
    public static final String SIGNATURE_ALGORITHM = "ECDSA-secp256r1-SHA256";
    /** SE, SM: hex of DER, the defaults (OCMF table 8), written out so no reader has to assume. */
    public static final String SIGNATURE_ENCODING = "hex";
    public static final String SIGNATURE_MIME_TYPE = "application/x-der";
    /**
     * Vendor field with the hex SHA-256 of the pile's previous record. OCMF reserves top-level
     * names starting with U to Z in the payload for vendors ("Extension Points in Payload Data
     * Section"); inside the signed payload the link to the pile's chain is covered by the
     * signature.
     */
    public static final String PREVIOUS_HASH_FIELD = "XP";

    /** ISO 8601 with milliseconds after a comma and a +hhmm zone (OCMF table 7, TM). */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss,SSSxx");

    public OcmfRecord {
        Objects.requireNonNull(payload, "payload");
        signatureDer = signatureDer.clone();
    }

    @Override
    public byte[] signatureDer() {
        return signatureDer.clone();
    }

    /** The bytes the signature covers: the payload section exactly as written, UTF-8 (all ASCII here). */
    public byte[] payloadBytes() {
        return payload.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code {"SA":...,"SE":"hex","SM":"application/x-der","SD":"<DER hex, upper case>"}}. */
    public String signatureSection() {
        return "{\"SA\":\"" + SIGNATURE_ALGORITHM + "\",\"SE\":\"" + SIGNATURE_ENCODING + "\",\"SM\":\"" + SIGNATURE_MIME_TYPE
                + "\",\"SD\":\"" + HexFormat.of().withUpperCase().formatHex(signatureDer) + "\"}";
    }

    /** The whole record on one line, as OCPP's SignedData and the Transparenzsoftware take it. */
    public String line() {
        return HEADER + "|" + payload + "|" + signatureSection();
    }

    /**
     * The payload section for {@code session}: keys in the order OCMF-en.md lists them (tables 1
     * to 7: FV GI GS GV PG MV MM MS MF IS IL IF IT ID CT CI RD), then our vendor field, no
     * whitespace. Both readings carry every field, although OCMF allows a later reading to omit
     * fields equal to the previous one: a reader then needs no carry-over rule.
     */
    public static String payloadOf(OcmfSession session) {
        StringBuilder p = new StringBuilder(640).append('{');
        field(p, "FV", FORMAT_VERSION);
        field(p, "GI", session.gateway().identification());
        field(p, "GS", session.gateway().serial());
        field(p, "GV", session.gateway().version());
        // Pagination (table 2): context letter T and the counter without leading zeros. Our record
        // sequence is gap-free and increases by one per record of the pile, which is what OCMF asks
        // of the counter; it counts every record of the chain, not only sessions, so gaps between
        // two exported sessions are readings.
        field(p, "PG", "T" + session.sequence());
        field(p, "MV", session.meter().vendor());
        field(p, "MM", session.meter().model());
        field(p, "MS", session.meter().serial());
        field(p, "MF", session.meter().firmware());
        OcmfSession.Identification id = session.identification();
        p.append("\"IS\":").append(id.assigned()).append(',');
        field(p, "IL", id.level().code());
        p.append("\"IF\":[");
        for (int i = 0; i < id.flags().size(); i++) {
            IdentificationFlag flag = id.flags().get(i);
            p.append(i == 0 ? "" : ",").append(OcmfText.quote(flag.code()));
        }
        p.append("],");
        field(p, "IT", id.type().code());
        if (!id.data().isEmpty()) {
            field(p, "ID", id.data());
        }
        session.chargePoint().ifPresent(cp -> {
            field(p, "CT", cp.type().code());
            field(p, "CI", cp.id());
        });
        p.append("\"RD\":[");
        reading(p, session.begin());
        p.append(',');
        reading(p, session.end());
        p.append("],");
        p.append('"').append(PREVIOUS_HASH_FIELD).append("\":")
                .append(OcmfText.quote(HexFormat.of().formatHex(session.previousRecordHash())));
        return p.append('}').toString();
    }

    /** TM as OCMF writes it: {@code 2018-07-24T13:22:04,000+0200 S}. */
    public static String time(OcmfSession.Reading r) {
        return TIME.format(r.time().atOffset(r.offset())) + " " + r.sync().code();
    }

    /**
     * RV as a JSON number: kWh with exactly three decimals (a Wh register is exact in it; OCMF
     * recommends at least two for kWh and forbids changing the written precision), or whole Wh.
     */
    public static String registerValue(long registerWh, EnergyUnit unit) {
        return switch (unit) {
            case KWH -> BigDecimal.valueOf(registerWh, 3).toPlainString();
            case WH -> Long.toString(registerWh);
        };
    }

    private static void reading(StringBuilder p, OcmfSession.Reading r) {
        p.append('{');
        field(p, "TM", time(r));
        field(p, "TX", r.reason().code());
        p.append("\"RV\":").append(registerValue(r.registerWh(), r.unit())).append(',');
        field(p, "RI", OcmfSession.Reading.IMPORT_REGISTER);
        field(p, "RU", r.unit().code());
        r.currentType().ifPresent(t -> field(p, "RT", t.code()));
        StringBuilder ef = new StringBuilder();
        for (ErrorFlag f : ErrorFlag.values()) {
            if (r.errorFlags().contains(f)) {
                ef.append(f.code());
            }
        }
        field(p, "EF", ef.toString());
        p.append("\"ST\":").append(OcmfText.quote(r.status().code()));
        p.append('}');
    }

    private static void field(StringBuilder p, String key, String value) {
        p.append('"').append(key).append("\":").append(OcmfText.quote(value)).append(',');
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OcmfRecord r && payload.equals(r.payload) && java.util.Arrays.equals(signatureDer, r.signatureDer);
    }

    @Override
    public int hashCode() {
        return 31 * payload.hashCode() + java.util.Arrays.hashCode(signatureDer);
    }

    @Override
    public String toString() {
        return line();
    }
}
