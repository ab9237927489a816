package io.wattproof.modbus.pdu;

/** A response PDU: the normal response to a request, or an exception response (section 7). */
public sealed interface ModbusResponse
        permits ReadRegistersResponse, WriteSingleRegisterResponse, WriteMultipleRegistersResponse,
                ReadDeviceIdentificationResponse, ExceptionResponse {
    /** The function code of the request this answers, 0x01..0x7f (without the 0x80 error bit). */
    int functionCode();
}
