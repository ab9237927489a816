package io.wattproof.agent.daemon;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * Sends notify messages as one datagram each from this process, as sd_notify(3) does, by calling
 * libc through the Foreign Function API. Linux only: the constants are those of Linux on x86-64
 * and ARM (socket(2), unix(7)); other architectures with other values (MIPS) fall back to the
 * command.
 */
public final class ForeignNotifySocket implements NotifyTransport {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    /** unix(7): {@code sun_path} is 108 bytes. */
    private static final int SUN_PATH_MAX = 108;
    private static final long SOCKADDR_UN_SIZE = 2 + SUN_PATH_MAX;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MemoryLayout ERRNO_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = ERRNO_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SOCKET;
    private static final MethodHandle SENDTO;
    private static final MethodHandle CLOSE;

    static {
        String arch = System.getProperty("os.arch");
        if (!System.getProperty("os.name").equals("Linux") || !(arch.equals("amd64") || arch.equals("aarch64") || arch.equals("arm"))) {
            throw new UnsupportedOperationException("notify socket via libc: Linux on amd64, aarch64 or arm only, this is "
                    + System.getProperty("os.name") + " " + arch);
        }
        SymbolLookup libc = LINKER.defaultLookup();
        Linker.Option errno = Linker.Option.captureCallState("errno");
        SOCKET = LINKER.downcallHandle(libc.find("socket").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), errno);
        SENDTO = LINKER.downcallHandle(libc.find("sendto").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), errno);
        CLOSE = LINKER.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private final String socket;
    private final byte[] path;

    /**
     * @param socket {@code $NOTIFY_SOCKET}: a file system path, or {@code @name} for an abstract
     *     socket (sd_notify(3))
     */
    public ForeignNotifySocket(String socket) {
        this.socket = socket;
        byte[] name = socket.getBytes(StandardCharsets.UTF_8);
        if (socket.startsWith("@")) {
            name[0] = 0; // unix(7): an abstract address starts with a NUL byte and is not terminated.
        } else if (!socket.startsWith("/")) {
            throw new IllegalArgumentException("NOTIFY_SOCKET: expected an absolute path or @name, actual '" + socket + "'");
        }
        if (name.length >= SUN_PATH_MAX) {
            throw new IllegalArgumentException("NOTIFY_SOCKET: longer than " + (SUN_PATH_MAX - 1) + " bytes: " + socket);
        }
        this.path = name;
    }

    @Override
    public void send(String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(ERRNO_STATE);
            int fd = (int) SOCKET.invokeExact(state, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw new IOException("socket(AF_UNIX, SOCK_DGRAM): errno " + (int) ERRNO.get(state, 0L));
            }
            try {
                MemorySegment address = arena.allocate(SOCKADDR_UN_SIZE, 2);
                address.set(JAVA_SHORT, 0, (short) AF_UNIX);
                MemorySegment.copy(path, 0, address, JAVA_BYTE, 2, path.length);
                // A path address is NUL-terminated (the arena's memory is zeroed); an abstract one
                // is exactly as long as its name.
                int length = 2 + path.length + (path[0] == 0 ? 0 : 1);
                MemorySegment data = arena.allocateFrom(JAVA_BYTE, bytes);
                long sent = (long) SENDTO.invokeExact(state, fd, data, (long) bytes.length, 0, address, length);
                if (sent < 0) {
                    throw new IOException("sendto(" + socket + "): errno " + (int) ERRNO.get(state, 0L));
                }
                if (sent != bytes.length) {
                    throw new IOException("sendto(" + socket + "): sent " + sent + " of " + bytes.length + " bytes");
                }
            } finally {
                int ignored = (int) CLOSE.invokeExact(fd);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("notify socket: " + t, t);
        }
    }

    @Override
    public String describe() {
        return "datagrams to " + socket;
    }
}
