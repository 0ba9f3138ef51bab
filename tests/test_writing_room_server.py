"""The upload limit through a real `datasette serve` (uvicorn), as `make serve` starts it: a body
sent in chunks with no Content-Length, past the limit, is refused with its message (413) while it
streams, and nothing is written. (How far the route reads: tests/test_upload.py counts it.)"""

from __future__ import annotations

import httpx
import pytest

from .server import datasette_server
from .writing_site import EDITOR, PASSWORD, git, server_env, tree, writing_room

pytestmark = pytest.mark.slow
BOUNDARY = "writing-room-boundary"


def test_a_chunked_upload_past_the_limit_is_refused_while_it_streams(tmp_path):
    notes, db, editors = writing_room(tmp_path)
    before, log = tree(notes), git(notes, "log", "--format=%H")
    with datasette_server(db, env=server_env(notes, editors, INSIGHTS_UPLOAD_BYTES="300000")) as base, \
            httpx.Client(base_url=base, timeout=60) as client:
        client.get("/-/login")
        token = client.cookies["ds_csrftoken"]
        client.post("/-/login", data={"username": EDITOR, "password": PASSWORD, "csrftoken": token})

        def body():  # a generator: httpx sends it chunked, without a Content-Length
            yield (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrftoken"\r\n\r\n{token}\r\n'
                   f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="report"; filename="big.pdf"\r\n\r\n'
                   "%PDF-1.4\n").encode()
            for _ in range(64):  # 4 MB
                yield b"0" * 65536
            yield f"\r\n--{BOUNDARY}--\r\n".encode()

        response = client.post("/-/write/upload", content=body(),
                               headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"})
    assert response.status_code == 413
    assert "larger than 300,000 bytes" in response.text and "아무것도 저장하지 않았습니다" in response.text
    assert tree(notes) == before and git(notes, "log", "--format=%H") == log
