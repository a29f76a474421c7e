#!/usr/bin/python3
"""The usual Python asyncio batch client (aiohttp + a semaphore), for comparison with
`vigil bench fetch`: same server, same n, c and latency, same output fields.

Usage: scripts/compare-aiohttp.py BASE_URL N C LATENCY_MS
For the conditions `vigil bench fetch` uses, give the server and the client a core each:
  taskset -c 0 vigil serve-demo --port 8080 &
  taskset -c 1 scripts/compare-aiohttp.py http://127.0.0.1:8080 5000 100 50
Needs Debian's python3-aiohttp (apt-get install python3-aiohttp).
"""
import asyncio
import math
import resource
import sys
import time

import aiohttp


async def main(base, n, c, latency_ms):
    sem = asyncio.Semaphore(c)
    ok = 0
    connector = aiohttp.TCPConnector(limit=c)
    async with aiohttp.ClientSession(connector=connector) as session:
        async def one(i):
            nonlocal ok
            async with sem:
                async with session.get(f"{base}/item/{i}?ms={latency_ms}") as response:
                    await response.read()
                    if response.status == 200:
                        ok += 1

        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu_before = usage.ru_utime + usage.ru_stime
        start = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(n)))
        wall = time.perf_counter() - start
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu = usage.ru_utime + usage.ru_stime - cpu_before
    ideal = math.ceil(n / c) * latency_ms / 1000
    print(f"aiohttp n={n} c={c} latency_ms={latency_ms} ok={ok} wall_s={wall:.3f} "
          f"ideal_s={ideal:.3f} efficiency={ideal / wall:.3f} rps={ok / wall:.0f} cpu_s={cpu:.2f} "
          f"cpu_us_per_req={cpu / max(ok, 1) * 1e6:.0f}")


if __name__ == "__main__":
    base, n, c, latency = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    asyncio.run(main(base, n, c, latency))
