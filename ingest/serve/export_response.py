"""A download sent while it is made: chunks from a worker thread, within its export's limits."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Iterable, Iterator

from datasette.utils.asgi import Response

from .export_limits import ExportRun, ExportStopped

log = logging.getLogger(__name__)
CHUNK_CHARS = 1 << 18  # text gathered into one chunk of a text download


def text_chunks(lines: Iterable[str]) -> Iterator[bytes]:
    """``"\\n".join(lines)`` as UTF-8, in chunks of about CHUNK_CHARS characters."""
    batch, size, separator = [], 0, ""
    for line in lines:
        batch.append(line)
        size += len(line) + 1
        if size >= CHUNK_CHARS:
            yield (separator + "\n".join(batch)).encode("utf-8")
            batch, size, separator = [], 0, "\n"
    yield (separator + "\n".join(batch)).encode("utf-8") if batch else b""


class Download(Response):
    """A file sent in chunks made in a worker thread, each chunk made while the last is sent.

    The first chunk is made before the status line, so a failing query is an error page;
    a failure after that aborts the transfer, and so do the client leaving, the client not
    reading for ``stall_seconds`` and the export's time limit: a download is whole or visibly
    broken — never a 200 with an error line appended. The run's slot is freed when the
    transfer ends, however it ends, and its outcome counts the bytes handed to the server.
    """

    def __init__(self, first: bytes, chunks: Iterator[bytes], run: ExportRun, filename: str, content_type: str):
        super().__init__(None, 200, {"content-disposition": f'attachment; filename="{filename}"'}, content_type)
        self.first, self.chunks, self.run = first, chunks, run
        if hasattr(chunks, "close"):
            run.on_finish(chunks.close)  # a generator's own clean-up (a temporary file, say)

    async def asgi_send(self, send):
        headers = {**self.headers, "content-type": self.content_type}
        raw = [[k.encode("latin-1"), v.encode("latin-1")] for k, v in headers.items()]
        raw += [[b"set-cookie", c.encode("utf-8")] for c in self._set_cookie_headers]
        try:
            await self._send(send, {"type": "http.response.start", "status": 200, "headers": raw})
            chunk = self.first
            while chunk is not None:
                self.run.check()
                following = asyncio.ensure_future(asyncio.to_thread(next, self.chunks, None))
                try:
                    if chunk:  # sent while the worker thread makes the next chunk
                        await self._send(send, {"type": "http.response.body", "body": chunk, "more_body": True})
                        self.run.sent_bytes += len(chunk)
                finally:
                    chunk = await following
            self.run.check()
            self.run.last_message = True  # from here a disconnect is the response ending, not the client leaving
            await self._send(send, {"type": "http.response.body", "body": b""})
        except (ExportStopped, sqlite3.OperationalError):
            if not self.run.stop_reason:
                self.run.fail()
                log.exception("export failed after its first byte")
        except Exception:
            self.run.fail()
            log.exception("export failed after its first byte")  # the client sees a failed download
        finally:
            await self.run.finish()

    async def _send(self, send, message: dict) -> None:
        """Send within the time limit and the stall limit: a client that stops reading cannot hold
        the slot for ever (a server waits, before it writes more, for the client to read what it
        holds already)."""
        remaining = self.run.remaining_seconds()
        stall = self.run.limits.stall_seconds
        try:
            await asyncio.wait_for(send(message), stall if remaining is None else min(remaining, stall))
        except TimeoutError:
            reason = "time limit" if remaining is not None and remaining <= stall else "client stopped reading"
            self.run.stop(reason)
            raise ExportStopped(reason) from None
