"""Modbus TCP server holding a SunSpec device image, for SunSpecPymodbusIT.

Run with Debian's python3-pymodbus 3.0.0:
    python3 sunspec_server.py UNIT_ID ADDRESS VALUES_FILE

Serves the holding registers (FC 03) in VALUES_FILE (whitespace-separated
decimal register values) from ADDRESS for unit UNIT_ID only, on an ephemeral
port of 127.0.0.1. A read outside them is answered with exception 0x02, as a
SunSpec device answers the bases it does not use. Input registers hold a
single register at address 0. Prints "PORT <n>" once it listens and runs until
stdin closes, so no server outlives its test. zero_mode=True: otherwise
pymodbus shifts every address by one.
"""
import asyncio
import sys

from pymodbus.datastore import (
    ModbusServerContext,
    ModbusSequentialDataBlock,
    ModbusSlaveContext,
)
from pymodbus.server import StartAsyncTcpServer


async def main():
    unit = int(sys.argv[1])
    address = int(sys.argv[2])
    with open(sys.argv[3], encoding="ascii") as f:
        values = [int(v) for v in f.read().split()]
    if not values or any(v < 0 or v > 0xFFFF for v in values):
        raise SystemExit("register values must be 0..65535")
    slave = ModbusSlaveContext(
        hr=ModbusSequentialDataBlock(address, values),
        ir=ModbusSequentialDataBlock(0, [0]),
        di=ModbusSequentialDataBlock(0, [0]),
        co=ModbusSequentialDataBlock(0, [0]),
        zero_mode=True,
    )
    context = ModbusServerContext(slaves={unit: slave}, single=False)
    server = await StartAsyncTcpServer(context, address=("127.0.0.1", 0), defer_start=True)
    serving = asyncio.create_task(server.serve_forever())
    await server.serving
    port = server.server.sockets[0].getsockname()[1]
    print(f"PORT {port}", flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)
    await server.shutdown()
    serving.cancel()


if __name__ == "__main__":
    asyncio.run(main())
