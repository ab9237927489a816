package io.wattproof.lightclient.types;

import java.util.Objects;

/** A header with the commit for it. */
public record SignedHeader(Header header, Commit commit) {
    public SignedHeader {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(commit, "commit");
    }
}
