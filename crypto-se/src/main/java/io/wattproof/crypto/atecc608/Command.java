package io.wattproof.crypto.atecc608;

import java.util.HexFormat;

/**
 * One command packet (data sheet, "Command Packets"): count, opcode, param1, param2 (16 bits,
 * least significant byte first on the wire), data, CRC-16. The count covers itself, the CRC and
 * everything between, so it is 7 + data length; the chip's input buffer limits a packet to 155
 * bytes. {@code responseLength} is the number of data bytes a successful response carries (1 for
 * commands that answer only a status byte).
 */
public record Command(Opcode opcode, int param1, int param2, byte[] data, int responseLength) {
    /** Word address that precedes a command packet in the I2C write ("Word Address Values"). */
    public static final int WORD_ADDRESS_COMMAND = 0x03;
    static final int MAX_PACKET_LENGTH = 155;

    public Command {
        if (param1 < 0 || param1 > 0xff) {
            throw new IllegalArgumentException("param1: expected 0x00..0xff, got 0x" + Integer.toHexString(param1));
        }
        if (param2 < 0 || param2 > 0xffff) {
            throw new IllegalArgumentException("param2: expected 0x0000..0xffff, got 0x" + Integer.toHexString(param2));
        }
        data = data.clone();
        if (7 + data.length > MAX_PACKET_LENGTH) {
            throw new IllegalArgumentException("command data: expected at most " + (MAX_PACKET_LENGTH - 7) + " bytes, got " + data.length);
        }
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The packet from count to CRC, without the word address. */
    public byte[] packet() {
        int count = 7 + data.length;
        byte[] packet = new byte[count];
        packet[0] = (byte) count;
        packet[1] = (byte) opcode.code();
        packet[2] = (byte) param1;
        packet[3] = (byte) param2;
        packet[4] = (byte) (param2 >>> 8);
        System.arraycopy(data, 0, packet, 5, data.length);
        PacketCrc.append(packet, count - 2);
        return packet;
    }

    /** The bytes of the I2C write: word address 0x03, then the packet. */
    public byte[] i2cWrite() {
        byte[] packet = packet();
        byte[] write = new byte[packet.length + 1];
        write[0] = WORD_ADDRESS_COMMAND;
        System.arraycopy(packet, 0, write, 1, packet.length);
        return write;
    }

    @Override
    public String toString() {
        return "Command[" + opcode + ", param1=0x" + HexFormat.of().toHexDigits((byte) param1) + ", param2=0x"
                + HexFormat.of().toHexDigits((short) param2) + ", " + data.length + " data bytes]";
    }
}
