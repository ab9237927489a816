package io.wattproof.modbus.transport;

/** Names of the Linux errno values a serial port reports, for messages ("errno 13, permission denied"). */
final class Errno {
    static final int ENOENT = 2;
    static final int EIO = 5;
    static final int ENXIO = 6;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EBUSY = 16;
    static final int ENODEV = 19;
    static final int ENOTTY = 25;

    private Errno() {}

    static String describe(int errno) {
        String name = switch (errno) {
            case ENOENT -> "no such file or directory";
            case EIO -> "input/output error";
            case ENXIO -> "no such device or address";
            case 9 -> "bad file descriptor";
            case EAGAIN -> "resource temporarily unavailable";
            case EACCES -> "permission denied";
            case EBUSY -> "device or resource busy";
            case ENODEV -> "no such device";
            case 22 -> "invalid argument";
            case ENOTTY -> "not a terminal device";
            default -> null;
        };
        return "errno " + errno + (name == null ? "" : ", " + name);
    }
}
