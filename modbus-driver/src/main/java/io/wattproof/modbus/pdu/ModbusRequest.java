package io.wattproof.modbus.pdu;

/** A request PDU a client sends to a server. New function codes add a record to this hierarchy. */
public sealed interface ModbusRequest
        permits ReadRegistersRequest, WriteSingleRegisterRequest, WriteMultipleRegistersRequest,
                ReadDeviceIdentificationRequest {
    FunctionCode functionCode();
}
