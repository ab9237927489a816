package io.wattproof.agent.ocmf;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.PublicKeys;
import io.wattproof.crypto.SignatureCheck;
import io.wattproof.crypto.VerifyingKey;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Our own check of an OCMF line: structure, signature method, and the ECDSA signature over the
 * payload section exactly as it stands in the line. It reads what we export; it does not judge
 * the readings (pagination, begin/end pairing), which is the Transparenzsoftware's part.
 */
public final class OcmfVerifier {
    private static final JsonMapper JSON = JsonMapper.builder()
            // A duplicated key would let two readers see two different values under one signature.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private OcmfVerifier() {}

    /** Checks {@code line} against a DER SubjectPublicKeyInfo; never throws on its input. */
    public static OcmfVerdict verify(String line, byte[] subjectPublicKeyInfo) {
        VerifyingKey key;
        try {
            key = PublicKeys.fromSubjectPublicKeyInfo(subjectPublicKeyInfo);
        } catch (IllegalArgumentException e) {
            return new OcmfVerdict.KeyRefused(e.getMessage());
        }
        if (key.algorithm() != KeyAlgorithm.ECDSA_P256_SHA256) {
            return new OcmfVerdict.KeyRefused("public key algorithm: expected " + KeyAlgorithm.ECDSA_P256_SHA256 + " for "
                    + OcmfRecord.SIGNATURE_ALGORITHM + ", got " + key.algorithm());
        }
        return verify(line, key);
    }

    public static OcmfVerdict verify(String line, VerifyingKey key) {
        // The pipe may not occur inside a section (OCMF-en.md "JSON based OCMF Format"), so a
        // plain split finds the three sections; a limit of -1 keeps empty trailing ones.
        String[] sections = line.strip().split("\\|", -1);
        if (sections.length != 3) {
            return new OcmfVerdict.Malformed("ocmf line: expected 3 sections OCMF|payload|signature, got " + sections.length);
        }
        if (!OcmfRecord.HEADER.equals(sections[0])) {
            return new OcmfVerdict.Malformed("ocmf header: expected OCMF, got '" + abbreviate(sections[0]) + "'");
        }
        String payload = sections[1];
        JsonNode payloadJson;
        JsonNode signatureJson;
        try {
            payloadJson = JSON.readTree(payload);
        } catch (JacksonException e) {
            return new OcmfVerdict.Malformed("ocmf payload: expected a JSON object, got text that does not parse ("
                    + e.getOriginalMessage() + ")");
        }
        try {
            signatureJson = JSON.readTree(sections[2]);
        } catch (JacksonException e) {
            return new OcmfVerdict.Malformed("ocmf signature section: expected a JSON object, got text that does not parse ("
                    + e.getOriginalMessage() + ")");
        }
        if (payloadJson == null || !payloadJson.isObject()) {
            return new OcmfVerdict.Malformed("ocmf payload: expected a JSON object, got " + kind(payloadJson));
        }
        if (signatureJson == null || !signatureJson.isObject()) {
            return new OcmfVerdict.Malformed("ocmf signature section: expected a JSON object, got " + kind(signatureJson));
        }
        // PG and RD are the payload's mandatory structure (tables 2 and 7).
        if (!payloadJson.path("PG").isTextual()) {
            return new OcmfVerdict.Malformed("ocmf PG: expected a string, got " + kind(payloadJson.get("PG")));
        }
        if (!payloadJson.path("RD").isArray() || payloadJson.path("RD").isEmpty()) {
            return new OcmfVerdict.Malformed("ocmf RD: expected a non-empty array of readings, got " + kind(payloadJson.get("RD")));
        }
        // SA, SE and SM may be omitted and then take their defaults (table 8).
        String sa = optionalText(signatureJson, "SA", OcmfRecord.SIGNATURE_ALGORITHM);
        String se = optionalText(signatureJson, "SE", OcmfRecord.SIGNATURE_ENCODING);
        String sm = optionalText(signatureJson, "SM", OcmfRecord.SIGNATURE_MIME_TYPE);
        if (sa == null || se == null || sm == null) {
            return new OcmfVerdict.Malformed("ocmf signature section: expected SA, SE and SM to be strings when present");
        }
        if (!OcmfRecord.SIGNATURE_ALGORITHM.equals(sa)) {
            return new OcmfVerdict.UnsupportedSignature("ocmf SA: expected " + OcmfRecord.SIGNATURE_ALGORITHM + ", got '" + abbreviate(sa) + "'");
        }
        if (!OcmfRecord.SIGNATURE_ENCODING.equals(se)) {
            return new OcmfVerdict.UnsupportedSignature("ocmf SE: expected hex, got '" + abbreviate(se) + "'");
        }
        if (!OcmfRecord.SIGNATURE_MIME_TYPE.equals(sm)) {
            return new OcmfVerdict.UnsupportedSignature("ocmf SM: expected application/x-der, got '" + abbreviate(sm) + "'");
        }
        JsonNode sdNode = signatureJson.get("SD");
        if (sdNode == null || !sdNode.isTextual()) {
            return new OcmfVerdict.Malformed("ocmf SD: expected a hex string, got " + kind(sdNode));
        }
        byte[] der;
        try {
            der = HexFormat.of().parseHex(sdNode.asText());
        } catch (IllegalArgumentException e) {
            return new OcmfVerdict.Malformed("ocmf SD: expected an even number of hex digits, got '" + abbreviate(sdNode.asText()) + "'");
        }
        SignatureCheck check = key.checkDer(payload.getBytes(StandardCharsets.UTF_8), der);
        return switch (check) {
            case SignatureCheck.Valid v -> new OcmfVerdict.Valid(payload);
            case SignatureCheck.Malformed m -> new OcmfVerdict.Malformed("ocmf SD: " + m.reason());
            case SignatureCheck.Mismatch mm -> new OcmfVerdict.SignatureMismatch(
                    "ocmf SD: the signature does not verify over the payload with key " + key.deviceId());
        };
    }

    /** The field's text, {@code fallback} when absent, null when present but not a string. */
    private static String optionalText(JsonNode object, String field, String fallback) {
        JsonNode n = object.get(field);
        if (n == null) {
            return fallback;
        }
        return n.isTextual() ? n.asText() : null;
    }

    private static String kind(JsonNode n) {
        return n == null || n.isMissingNode() ? "nothing" : n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
