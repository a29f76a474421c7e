#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""A Modbus TCP server Vigil did not write, for Vigil's tests: pymodbus 3.0 behind a small
counting proxy.

pymodbus serves the registers named in a layout file, encoded by pymodbus' own
BinaryPayloadBuilder. The proxy in front of it sees every request Vigil sends: it counts them by
function code, remembers the most transactions that were open at once (a pipelining client shows
as more than 1), can hold each answer back (--delay-ms) so that pipelining would show, and can
answer reads that cover --busy-address with exception 6 (server device busy). After every answer
it writes its counts to --stats as JSON.

Usage: modbus_peer.py --port P (0: a free one) --layout layout.json --stats stats.json [--delay-ms D]
       [--busy-address A]
Prints "READY <port>" once it listens. Run it with /usr/bin/python3 (Debian's pymodbus).
"""

import argparse
import asyncio
import json
import os
import socket
import struct
import sys

from pymodbus.constants import Endian
from pymodbus.datastore import (ModbusSequentialDataBlock, ModbusServerContext,
                                ModbusSlaveContext)
from pymodbus.payload import BinaryPayloadBuilder
from pymodbus.server import StartAsyncTcpServer

BLOCK = 3000  # registers per table: reads past it get exception 2 (illegal data address)

ORDERS = {  # Vigil's names: (byte order within a word, word order)
    "ABCD": (Endian.Big, Endian.Big),
    "CDAB": (Endian.Big, Endian.Little),
    "BADC": (Endian.Little, Endian.Big),
    "DCBA": (Endian.Little, Endian.Little),
}


def encode(kind, order, value):
    byteorder, wordorder = ORDERS[order]
    b = BinaryPayloadBuilder(byteorder=byteorder, wordorder=wordorder)
    getattr(b, {"int16": "add_16bit_int", "uint16": "add_16bit_uint", "int32": "add_32bit_int",
                "uint32": "add_32bit_uint", "float32": "add_32bit_float",
                "int64": "add_64bit_int", "float64": "add_64bit_float"}[kind])(value)
    return b.to_registers()


def build_context(layout):
    tables = {name: [0] * BLOCK for name in ("holding", "input", "coil", "discrete")}
    for table in ("holding", "input"):
        for entry in layout.get(table, []):
            regs = encode(entry["type"], entry.get("order", "ABCD"), entry["value"])
            tables[table][entry["address"]:entry["address"] + len(regs)] = regs
    for table in ("coil", "discrete"):
        for entry in layout.get(table, []):
            tables[table][entry["address"]] = 1 if entry["value"] else 0
    slave = ModbusSlaveContext(
        hr=ModbusSequentialDataBlock(0, tables["holding"]),
        ir=ModbusSequentialDataBlock(0, tables["input"]),
        co=ModbusSequentialDataBlock(0, tables["coil"]),
        di=ModbusSequentialDataBlock(0, tables["discrete"]),
        zero_mode=True)  # pymodbus shifts addresses by one without it
    return ModbusServerContext(slaves=slave, single=True)


class Stats:
    def __init__(self, path):
        self.path = path
        self.requests = 0
        self.by_function = {}
        self.open = 0
        self.max_open = 0
        self.connections = 0
        self.reads = []  # (function, address, count), the last 200

    def write(self):
        data = {"requests": self.requests, "by_function": self.by_function,
                "max_open": self.max_open, "connections": self.connections,
                "reads": self.reads[-200:]}
        tmp = self.path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(data, f)
        os.replace(tmp, self.path)


async def read_frame(reader):
    head = await reader.readexactly(7)
    length = struct.unpack(">H", head[4:6])[0]
    return head + await reader.readexactly(length - 1)


async def proxy(client_reader, client_writer, upstream_port, stats, args):
    stats.connections += 1
    stats.write()
    opened = [0]  # this connection's transactions not answered yet
    up_reader, up_writer = await asyncio.open_connection("127.0.0.1", upstream_port)
    lock = asyncio.Lock()

    async def answer(frame):
        if args.delay_ms:
            await asyncio.sleep(args.delay_ms / 1000)
        stats.open -= 1
        opened[0] -= 1
        stats.write()  # before the answer goes: a test reads the stats once it has it
        async with lock:
            client_writer.write(frame)
            await client_writer.drain()

    async def upstream():
        try:
            while True:
                frame = await read_frame(up_reader)
                asyncio.ensure_future(answer(frame))
        except (asyncio.IncompleteReadError, ConnectionError):
            client_writer.close()

    pump = asyncio.ensure_future(upstream())
    try:
        while True:
            frame = await read_frame(client_reader)
            function = frame[7]
            stats.requests += 1
            stats.by_function[str(function)] = stats.by_function.get(str(function), 0) + 1
            stats.open += 1
            opened[0] += 1
            stats.max_open = max(stats.max_open, stats.open)
            if len(frame) >= 12:
                address, count = struct.unpack(">HH", frame[8:12])
                stats.reads.append([function, address, count])
            stats.write()
            if len(frame) >= 12:
                if args.busy_address is not None and address <= args.busy_address < address + count:
                    reply = frame[:4] + struct.pack(">H", 3) + frame[6:7] + bytes([function | 0x80, 6])
                    asyncio.ensure_future(answer(reply))
                    continue
            up_writer.write(frame)
            await up_writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        stats.open -= opened[0]  # a closed connection's requests are answered by nobody
        opened[0] = 0
        stats.write()
        pump.cancel()
        up_writer.close()
        client_writer.close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--layout", required=True)
    parser.add_argument("--stats", required=True)
    parser.add_argument("--delay-ms", type=int, default=0)
    parser.add_argument("--busy-address", type=int)
    args = parser.parse_args()
    with open(args.layout) as f:
        layout = json.load(f)
    stats = Stats(args.stats)
    stats.write()
    upstream_port = free_port()
    server = await StartAsyncTcpServer(context=build_context(layout),
                                       address=("127.0.0.1", upstream_port), defer_start=True)
    asyncio.ensure_future(server.serve_forever())
    for _ in range(100):  # until pymodbus listens
        try:
            _, w = await asyncio.open_connection("127.0.0.1", upstream_port)
            w.close()
            break
        except OSError:
            await asyncio.sleep(0.05)
    front = await asyncio.start_server(
        lambda r, w: proxy(r, w, upstream_port, stats, args), "127.0.0.1", args.port)
    print("READY", front.sockets[0].getsockname()[1], flush=True)  # --port 0: the one picked
    async with front:
        await front.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
