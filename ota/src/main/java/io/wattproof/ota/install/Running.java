package io.wattproof.ota.install;

import java.util.OptionalLong;

/**
 * What runs at this start, as the update shell needs it: the slot and release version booted,
 * whether it is on trial (a health check must still decide), the floor, and the version of an
 * install that failed its trial and has not been replaced since (so the device can say it rolled
 * back, also after the restart that did it).
 */
public record Running(Slot slot, long version, boolean trial, long floor, OptionalLong rejected) {}
