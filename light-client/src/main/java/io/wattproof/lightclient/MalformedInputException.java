package io.wattproof.lightclient;

/**
 * Input from outside (JSON from a node or a file, protobuf from a store or a peer) that does not
 * form a valid value. {@link #field()} is the path of the offending field, e.g.
 * {@code signed_header.commit.signatures[2].signature}.
 */
public final class MalformedInputException extends LightClientException {
    private final String field;

    public MalformedInputException(String field, String problem) {
        super(field.isEmpty() ? problem : field + ": " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
