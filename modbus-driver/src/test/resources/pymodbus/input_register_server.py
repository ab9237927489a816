"""Modbus TCP server for ModbusTcpMasterIT, run with Debian's python3-pymodbus 3.0.0.

Usage: python3 input_register_server.py UNIT_ID ADDRESS VALUE [VALUE ...]

Serves input registers (FC 04) and holding registers (FC 03) holding VALUE...
starting at ADDRESS for unit UNIT_ID only, on an ephemeral port of 127.0.0.1.
Prints "PORT <n>" on stdout once it listens, then runs until stdin closes
(the test JVM exits or closes the pipe) so no server outlives its test.
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
from pymodbus.server import StartAsyncTcpServer


async def main():
    unit = int(sys.argv[1])
    address = int(sys.argv[2])
    values = [int(v) for v in sys.argv[3:]]
    block = ModbusSequentialDataBlock(address, values)
    slave = ModbusSlaveContext(ir=block, hr=ModbusSequentialDataBlock(address, list(values)), zero_mode=True)
    context = ModbusServerContext(slaves={unit: slave}, single=False)
    server = await StartAsyncTcpServer(context, address=("127.0.0.1", 0), defer_start=True)
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
