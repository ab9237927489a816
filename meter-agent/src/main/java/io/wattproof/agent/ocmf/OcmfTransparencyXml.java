package io.wattproof.agent.ocmf;

import java.util.HexFormat;
import java.util.List;

/**
 * The XML container the S.A.F.E. Transparenzsoftware opens: {@code <values>} with one
 * {@code <value>} per record, each holding the OCMF line as {@code <signedData format="OCMF"
 * encoding="plain">} and the pile's key as {@code <publicKey encoding="hex">} (the DER
 * SubjectPublicKeyInfo in hex), so the user need not paste the key. The signed data must stand in
 * the element without surrounding whitespace, or its signature no longer matches.
 */
public final class OcmfTransparencyXml {
    private OcmfTransparencyXml() {}

    public static String document(List<OcmfRecord> records, byte[] subjectPublicKeyInfo) {
        String key = HexFormat.of().withUpperCase().formatHex(subjectPublicKeyInfo);
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<values>\n");
        for (int i = 0; i < records.size(); i++) {
            OcmfRecord r = records.get(i);
            xml.append("  <value transactionId=\"").append(i + 1).append("\" context=\"Transaction.End\">\n")
                    .append("    <signedData format=\"OCMF\" encoding=\"plain\">").append(escape(r.line())).append("</signedData>\n")
                    .append("    <publicKey encoding=\"hex\">").append(key).append("</publicKey>\n")
                    .append("  </value>\n");
        }
        return xml.append("</values>\n").toString();
    }

    /** Character data (XML 1.0 §2.4): '&' and '<' must be escaped, '>' is escaped for "]]>". */
    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
