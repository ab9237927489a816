package io.wattproof.agent.provision;

/** Names of the files provisioning installs in the configuration folder. */
public final class ProvisionFiles {
    /** The device configuration, unless {@code --config} names another file. */
    public static final String CONFIG = "agent.yaml";
    /** The certification request for the fleet's authority (PEM, public). */
    public static final String CSR = "device.csr";
    public static final String DEVICE_CERT = "device-cert.pem";
    public static final String BROKER_CA = "broker-ca.pem";
    public static final String TRUST_ANCHOR = "trust-anchor.json";
    /** The software key store's encryption secret, unless {@code --secret-file} names another file. */
    public static final String KEY_SECRET = "device-key.secret";

    private ProvisionFiles() {}
}
