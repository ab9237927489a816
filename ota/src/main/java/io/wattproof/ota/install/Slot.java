package io.wattproof.ota.install;

/** One of the two places the application is installed in. */
public enum Slot {
    A,
    B;

    public Slot other() {
        return this == A ? B : A;
    }
}
