package io.wattproof.lightclient.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.wattproof.lightclient.MalformedInputException;
import io.wattproof.lightclient.json.CometJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading the JSON files the commands are given. */
final class Inputs {
    /** No RPC answer the commands read comes near this; a larger file is not one of them. */
    static final long MAX_FILE_BYTES = 64L * 1024 * 1024;

    private Inputs() {}

    static JsonNode json(Path file) throws IOException, MalformedInputException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new MalformedInputException("", "file of " + size + " bytes is larger than " + MAX_FILE_BYTES);
        }
        return CometJson.parse(Files.readString(file), "(document)");
    }

    static String describe(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.charset.MalformedInputException) {
            return "not UTF-8 text";
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
