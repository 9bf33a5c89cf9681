"""Reading one message from a worker's pipe inside an asyncio event loop, without a thread and without blocking.

The worker writes with `multiprocessing.Connection.send`: a 4-byte big-endian signed length (or -1 and then an
8-byte length, for messages over 2 GiB), then the pickled object. The server waits on the pipe with
`loop.add_reader` and takes whatever bytes have arrived at each wake-up, so a request waiting for its worker
holds no thread and a large answer never stalls the loop while it arrives.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import struct

CHUNK = 1 << 20  # bytes read per wake-up at most


class _Message:
    """The bytes of one framed message as they arrive; `feed` returns True once the whole message is in."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.size: int | None = None
        self.start = 4

    def feed(self, data: bytes) -> bool:
        self.buffer += data
        if self.size is None and len(self.buffer) >= 4:
            (size,) = struct.unpack("!i", self.buffer[:4])
            if size >= 0:
                self.size = size
            elif len(self.buffer) >= 12:
                (self.size,) = struct.unpack("!Q", self.buffer[4:12])
                self.start = 12
        return self.size is not None and len(self.buffer) >= self.start + self.size

    def value(self):
        return pickle.loads(memoryview(self.buffer)[self.start : self.start + self.size])


async def receive(conn, timeout: float | None):
    """Wait for one message on `conn` (a multiprocessing Connection) in the running loop; returns the object sent.

    Takes the connection and at most how many seconds to wait (None: no limit). Raises TimeoutError when the
    time runs out before the whole message arrived, EOFError when the other end closed (the worker died).
    The caller must not read from `conn` in any other way while this runs.
    """
    loop = asyncio.get_running_loop()
    fd = conn.fileno()
    message = _Message()
    done: asyncio.Future = loop.create_future()

    def readable() -> None:
        if done.done():
            return
        try:
            data = os.read(fd, CHUNK)
        except BlockingIOError:  # a wake-up with nothing to read after all: wait for the next
            return
        except OSError as exc:
            done.set_exception(exc)
            return
        if not data:
            done.set_exception(EOFError("the worker closed its pipe"))
        elif message.feed(data):
            done.set_result(None)

    os.set_blocking(fd, False)
    loop.add_reader(fd, readable)
    try:
        async with asyncio.timeout(timeout):
            await done
    finally:
        loop.remove_reader(fd)
        os.set_blocking(fd, True)  # the request to the worker is sent with a plain blocking write
    return message.value()
