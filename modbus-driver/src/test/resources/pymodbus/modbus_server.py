"""A Modbus server for the integration tests, run with Debian's python3-pymodbus 3.0.0.

Usage: python3 modbus_server.py CONFIG_FILE

CONFIG_FILE holds one JSON object (a file, not an argument: Linux refuses a
single argument longer than 128 KiB, MAX_ARG_STRLEN, and a full table of
65536 registers written as JSON takes up to 460 KB):
  link      "serial": RTU frames on the serial device "port" (a socat pty in
            the tests), opened 8N1 at "baudrate";
            "tcp": RTU frames, CRC included, over TCP on an ephemeral port of
            127.0.0.1 (what a transparent serial gateway carries);
            "mbap": plain Modbus TCP (MBAP header) on an ephemeral port
  unit      the only unit id answered; requests for others get no answer
  input     {"address": A, "values": [...]}: input registers (FC 04) from A
  holding   {"address": A, "values": [...]}: holding registers (FC 03 reads,
            FC 06 and FC 16 writes) from A
  identity  {NAME: VALUE}, optional: FC 43 / MEI 0x0e objects by pymodbus'
            names (VendorName, ProductCode, MajorMinorRevision, VendorUrl,
            ProductName, ModelName, UserApplicationName)
  broadcast true, optional: unit 0 is the broadcast address (Serial Line
            V1.02 section 2.2): writes to it are executed for the unit and not
            answered

Each table holds exactly the registers given and nothing else: any request
that reaches outside them (a read or write below A or past the last value) is
answered with exception 0x02, illegal data address (Application Protocol
V1.1b3 section 7), as a SunSpec device answers the base addresses it does not
use. A table that does not matter to a test is best one register at 0.
Coils and discrete inputs are one bit at 0.

Prints "PORT <n>" (tcp, mbap) or "READY" (serial) on stdout once it serves,
then runs until stdin closes (the test JVM exits or closes the pipe) so no
server outlives its test.

pymodbus 3.0 defaults worth knowing: the serial server's framer defaults to
ASCII (so ModbusRtuFramer is passed), the TCP server's to MBAP (ditto for
"tcp"), and without zero_mode=True every address is shifted by one. With
broadcast_enable its framer accepts frames for every unit id, and a unit it
does not serve is then answered with exception 0x0b (gateway target device
failed to respond) instead of silence, unless ignore_missing_slaves is set too.
Left to itself, ModbusSlaveContext makes every table 65536 registers of
zeros, which would hide the exception 0x02 answers above.
"""
import asyncio
import json
import sys

from pymodbus.datastore import (
    ModbusServerContext,
    ModbusSequentialDataBlock,
    ModbusSlaveContext,
)
from pymodbus.device import ModbusDeviceIdentification
from pymodbus.server import StartAsyncSerialServer, StartAsyncTcpServer
from pymodbus.transaction import ModbusRtuFramer


def block(name, spec):
    address, values = spec["address"], list(spec["values"])
    if not 0 <= address <= 0xFFFF or address + len(values) > 0x10000:
        sys.exit(f"{name}: expected registers within 0..65535, actual {len(values)} from {address}")
    bad = [v for v in values if not (isinstance(v, int) and 0 <= v <= 0xFFFF)]
    if not values or bad:
        sys.exit(f"{name}.values: expected 1 or more integers 0..65535, actual {bad[:3] or 'none'}")
    return ModbusSequentialDataBlock(address, values)


async def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        config = json.load(f)
    slave = ModbusSlaveContext(
        ir=block("input", config["input"]),
        hr=block("holding", config["holding"]),
        # Coils and discrete inputs are not used; one of each keeps them tiny.
        co=ModbusSequentialDataBlock(0, [0]),
        di=ModbusSequentialDataBlock(0, [0]),
        zero_mode=True,
    )
    context = ModbusServerContext(slaves={config["unit"]: slave}, single=False)
    identity = ModbusDeviceIdentification(info_name=config.get("identity", {}))
    broadcast = bool(config.get("broadcast", False))
    options = {"broadcast_enable": broadcast, "ignore_missing_slaves": broadcast}
    link = config["link"]
    if link == "serial":
        server = await StartAsyncSerialServer(
            context,
            identity=identity,
            framer=ModbusRtuFramer,
            port=config["port"],
            baudrate=config["baudrate"],
            bytesize=8,
            parity="N",
            stopbits=1,
            defer_start=True,
            **options,
        )
        # start() logs and swallows some failures to open the port: check it opened.
        await server.start()
        if server.transport is None:
            sys.exit(f"cannot open serial port {config['port']}")
        serving = asyncio.create_task(server.serve_forever())
        print("READY", flush=True)
    elif link in ("tcp", "mbap"):
        framing = {"framer": ModbusRtuFramer} if link == "tcp" else {}
        server = await StartAsyncTcpServer(
            context,
            identity=identity,
            address=("127.0.0.1", 0),
            defer_start=True,
            **framing,
            **options,
        )
        serving = asyncio.create_task(server.serve_forever())
        await server.serving
        port = server.server.sockets[0].getsockname()[1]
        print(f"PORT {port}", flush=True)
    else:
        sys.exit(f"link: expected serial, tcp or mbap, actual {link!r}")
    loop = asyncio.get_running_loop()
    # Blocks in a worker thread until the parent closes our stdin.
    await loop.run_in_executor(None, sys.stdin.read)
    await server.shutdown()
    serving.cancel()


if __name__ == "__main__":
    asyncio.run(main())
