"""Modbus TCP server for PymodbusWriteAndIdentifyIT, run with Debian's python3-pymodbus 3.0.0.

Usage: python3 holding_and_identity_server.py UNIT_ID REGISTERS NAME=VALUE [NAME=VALUE ...]

Serves REGISTERS holding registers (FC 03 reads, FC 06 and FC 16 writes),
all zero at start, from address 0 for unit UNIT_ID only, and answers FC 43 /
MEI 0x0e (read device identification) with the identity given as NAME=VALUE
pairs, NAME one of pymodbus' ModbusDeviceIdentification names (VendorName,
ProductCode, MajorMinorRevision, VendorUrl, ProductName, ModelName,
UserApplicationName). Listens on an ephemeral port of 127.0.0.1, prints
"PORT <n>" on stdout once it listens, then runs until stdin closes (the test
JVM exits or closes the pipe) so no server outlives its test.
zero_mode=True: pymodbus otherwise shifts every address by one (a 1-based
"register number" convention), see /work/shared/DEPENDENCIES.md.
"""
import asyncio
import sys

from pymodbus.datastore import (
    ModbusServerContext,
    ModbusSequentialDataBlock,
    ModbusSlaveContext,
)
from pymodbus.device import ModbusDeviceIdentification
from pymodbus.server import StartAsyncTcpServer


async def main():
    unit = int(sys.argv[1])
    size = int(sys.argv[2])
    names = dict(arg.split("=", 1) for arg in sys.argv[3:])
    identity = ModbusDeviceIdentification(info_name=names)
    slave = ModbusSlaveContext(hr=ModbusSequentialDataBlock(0, [0] * size), zero_mode=True)
    context = ModbusServerContext(slaves={unit: slave}, single=False)
    server = await StartAsyncTcpServer(
        context, identity=identity, address=("127.0.0.1", 0), defer_start=True
    )
    serving = asyncio.create_task(server.serve_forever())
    await server.serving
    port = server.server.sockets[0].getsockname()[1]
    print(f"PORT {port}", flush=True)
    loop = asyncio.get_running_loop()
    # Blocks in a worker thread until the parent closes our stdin.
    await loop.run_in_executor(None, sys.stdin.read)
    await server.shutdown()
    serving.cancel()


if __name__ == "__main__":
    asyncio.run(main())
