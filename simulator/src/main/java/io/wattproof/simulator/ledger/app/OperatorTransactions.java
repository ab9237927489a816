package io.wattproof.simulator.ledger.app;

import com.google.protobuf.ByteString;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.protocol.SignBytes;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.DeviceRegistration;
import io.wattproof.protocol.v1.SignedTx;
import io.wattproof.protocol.v1.TariffContract;

/**
 * Builds signed operator transactions (docs/ledger.md, "Operator bodies"): the body, signed by the
 * operator key under the sign-bytes domain of its type ({@code wattproof/v1/DeviceRegistration},
 * {@code wattproof/v1/TariffContract}), in a {@code SignedTx} that always carries the operator's
 * public key. The caller keeps the operator's nonce: the first transaction has nonce 1, each next
 * one the previous + 1.
 */
public final class OperatorTransactions {
    private OperatorTransactions() {}

    /** REGISTER: a new device whose id is the id of {@code devicePublicKeyInfo}. */
    public static byte[] register(String chainId, DeviceKey operator, long nonce, KeyAlgorithm deviceAlgorithm,
                                  byte[] devicePublicKeyInfo, String board, String location, String account) throws KeyStoreFailure {
        return sign(chainId, operator, BodyType.DEVICE_REGISTRATION, DeviceRegistration.newBuilder()
                .setAction(DeviceRegistration.Action.REGISTER)
                .setDeviceId(ByteString.copyFrom(DeviceId.fromPublicKeyInfo(devicePublicKeyInfo).bytes()))
                .setPublicKey(ByteString.copyFrom(devicePublicKeyInfo))
                .setKeyAlgorithmValue(deviceAlgorithm.wireNumber())
                .setBoard(board)
                .setLocation(location)
                .setAccount(account)
                .setNonce(nonce)
                .build().toByteArray());
    }

    /** ROTATE: {@code successorPublicKeyInfo} becomes a new device with the old one's board, location, account. */
    public static byte[] rotate(String chainId, DeviceKey operator, long nonce, DeviceId oldDevice, KeyAlgorithm successorAlgorithm,
                                byte[] successorPublicKeyInfo) throws KeyStoreFailure {
        return sign(chainId, operator, BodyType.DEVICE_REGISTRATION, DeviceRegistration.newBuilder()
                .setAction(DeviceRegistration.Action.ROTATE)
                .setDeviceId(ByteString.copyFrom(oldDevice.bytes()))
                .setPublicKey(ByteString.copyFrom(successorPublicKeyInfo))
                .setKeyAlgorithmValue(successorAlgorithm.wireNumber())
                .setNonce(nonce)
                .build().toByteArray());
    }

    /** REVOKE: every later transaction signed by the device's key is refused. */
    public static byte[] revoke(String chainId, DeviceKey operator, long nonce, DeviceId device) throws KeyStoreFailure {
        return sign(chainId, operator, BodyType.DEVICE_REGISTRATION, DeviceRegistration.newBuilder()
                .setAction(DeviceRegistration.Action.REVOKE)
                .setDeviceId(ByteString.copyFrom(device.bytes()))
                .setNonce(nonce)
                .build().toByteArray());
    }

    /** A tariff contract; {@code contract}'s own nonce is replaced by {@code nonce}. */
    public static byte[] tariff(String chainId, DeviceKey operator, long nonce, TariffContract contract) throws KeyStoreFailure {
        return sign(chainId, operator, BodyType.TARIFF_CONTRACT, contract.toBuilder().setNonce(nonce).build().toByteArray());
    }

    /** Signs {@code body} as a {@code type} body and wraps it with the operator's key and signature. */
    public static byte[] sign(String chainId, DeviceKey operator, BodyType type, byte[] body) throws KeyStoreFailure {
        byte[] signature = operator.sign(SignBytes.of(type, chainId, body));
        return SignedTx.newBuilder()
                .setBodyType(type)
                .setBody(ByteString.copyFrom(body))
                .setKeyAlgorithmValue(operator.algorithm().wireNumber())
                .setPublicKey(ByteString.copyFrom(operator.publicKeyInfo()))
                .setSignature(ByteString.copyFrom(signature))
                .build().toByteArray();
    }

    /** An operator's credit of {@code amount} micro-units to {@code account} (docs/charging.md). */
    public static byte[] accountCredit(String chainId, DeviceKey operator, long nonce, String account, long amount)
            throws KeyStoreFailure {
        return sign(chainId, operator, BodyType.ACCOUNT_CREDIT, io.wattproof.protocol.v1.AccountCredit.newBuilder()
                .setAccount(account)
                .setAmount(amount)
                .setNonce(nonce)
                .build().toByteArray());
    }
}
