package io.wattproof.crypto.pkcs11;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the slot holding the token with a given label.
 *
 * <p>SunPKCS11's configuration selects a token only by {@code slot} (a slot id) or {@code
 * slotListIndex} (a position in C_GetSlotList), and exposes no token information through public
 * API. Slot ids are not stable (SoftHSM2 derives them from the token serial, and readers renumber
 * on replug), so a label is the only sane name in a configuration file. The JDK's own PKCS#11
 * binding ({@code sun.security.pkcs11.wrapper}) can read CK_TOKEN_INFO, but its module does not
 * export it: the JVM needs {@value #ADD_EXPORTS}. We call it reflectively because javac refuses
 * {@code --add-exports} of a system module together with {@code --release}.
 *
 * <p>The binding keeps one initialised instance per library path string (C_Initialize may be
 * called once per process, PKCS#11 v2.40 base specification, C_Initialize), and SunPKCS11 takes the same instance when
 * configured with the same path string, so the lookup does not initialise the module twice. The
 * CKF_OS_LOCKING_OK flag is what SunPKCS11 asks for first.
 */
final class Pkcs11Slots {
    static final String ADD_EXPORTS = "--add-exports=jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED";

    /** CK_C_INITIALIZE_ARGS flag CKF_OS_LOCKING_OK (PKCS#11 v2.40 base specification, C_Initialize): the library may use the OS's locking primitives. */
    private static final long CKF_OS_LOCKING_OK = 0x2L;
    private static final String WRAPPER = "sun.security.pkcs11.wrapper.";

    private Pkcs11Slots() {}

    /** The slot id whose token is labelled {@code label} (blank padding stripped). */
    static long slotOf(Path library, String label) throws Pkcs11Failure {
        Object p11 = module(library);
        List<String> present = new ArrayList<>();
        try {
            Method getSlotList = p11.getClass().getMethod("C_GetSlotList", boolean.class);
            Method getTokenInfo = p11.getClass().getMethod("C_GetTokenInfo", long.class);
            // tokenPresent=true: only slots that hold a token (PKCS#11 v2.40 base specification, C_GetSlotList).
            long[] slots = (long[]) getSlotList.invoke(p11, true);
            Long found = null;
            for (long slot : slots) {
                Object info = getTokenInfo.invoke(p11, slot);
                char[] raw = (char[]) info.getClass().getField("label").get(info);
                String tokenLabel = new String(raw).stripTrailing();
                // CKF_TOKEN_INITIALIZED is not checked: an uninitialised SoftHSM2 slot has an empty label.
                if (tokenLabel.isEmpty()) {
                    continue;
                }
                present.add(tokenLabel);
                if (tokenLabel.equals(label)) {
                    if (found != null) {
                        throw new Pkcs11Failure.AmbiguousToken(label, found, slot);
                    }
                    found = slot;
                }
            }
            if (found == null) {
                throw new Pkcs11Failure.UnknownToken(label, library, present);
            }
            return found;
        } catch (InvocationTargetException e) {
            throw new Pkcs11Failure.TokenError("slot lookup", label, e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new Pkcs11Failure.SlotLookupUnavailable(e);
        }
    }

    private static Object module(Path library) throws Pkcs11Failure {
        Class<?> pkcs11;
        Object initArgs;
        try {
            pkcs11 = Class.forName(WRAPPER + "PKCS11");
            Class<?> initArgsClass = Class.forName(WRAPPER + "CK_C_INITIALIZE_ARGS");
            initArgs = initArgsClass.getConstructor().newInstance();
            initArgsClass.getField("flags").setLong(initArgs, CKF_OS_LOCKING_OK);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new Pkcs11Failure.SlotLookupUnavailable(e);
        }
        try {
            Method getInstance = pkcs11.getMethod("getInstance", String.class, String.class, initArgs.getClass(), boolean.class);
            // functionList null: the binding tries C_GetInterface, then C_GetFunctionList, as SunPKCS11 does by default.
            return getInstance.invoke(null, library.toString(), null, initArgs, false);
        } catch (InvocationTargetException e) {
            throw new Pkcs11Failure.LibraryUnavailable(library, "one that fails to load or initialise ("
                    + Pkcs11Failure.rootMessage(e.getCause()) + ")", e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new Pkcs11Failure.SlotLookupUnavailable(e);
        }
    }
}
