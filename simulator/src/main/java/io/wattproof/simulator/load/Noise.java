package io.wattproof.simulator.load;

/**
 * Deterministic pseudo-random values as pure functions of (seed, stream, index): no state, so the
 * value at an instant does not depend on which instants were asked for before.
 */
final class Noise {
    private Noise() {}

    /** A value in [-1, 1) fixed by seed, stream and index. */
    static double at(long seed, long stream, long index) {
        long h = mix(seed ^ mix(stream * 0x9e3779b97f4a7c15L ^ mix(index)));
        return ((h >>> 11) * 0x1.0p-53) * 2 - 1;
    }

    /** A value in [0, 1) fixed by seed, stream and index. */
    static double unit(long seed, long stream, long index) {
        return (at(seed, stream, index) + 1) / 2;
    }

    /**
     * Noise in [-1, 1] that varies smoothly over time: a fresh value each minute, linearly
     * interpolated in between, so power does not jump at every sample.
     */
    static double perMinute(long seed, long stream, long epochSecond) {
        long minute = Math.floorDiv(epochSecond, 60);
        double fraction = Math.floorMod(epochSecond, 60) / 60.0;
        return at(seed, stream, minute) * (1 - fraction) + at(seed, stream, minute + 1) * fraction;
    }

    /** The SplitMix64 finaliser: every input bit affects every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
