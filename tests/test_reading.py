"""Reading a file asks for the size fstat gives, and reads on when more comes (a pipe)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from evaluator.errors import InputError
from evaluator.loading import read_text

TEXT = "proposal:\n  id: x\n" * 1000  # 18,000 bytes: several pipe buffers' worth

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")


def _pipe(tmp_path: Path) -> Path:
    fifo = tmp_path / "offer.yaml"
    os.mkfifo(fifo)

    def write() -> None:
        try:
            with open(fifo, "wb") as out:
                out.write(TEXT.encode("utf-8"))
        except BrokenPipeError:  # the reader stopped at its limit
            pass

    threading.Thread(target=write, daemon=True).start()
    return fifo


def test_a_pipe_without_a_size_is_read_to_its_end(tmp_path: Path) -> None:
    _, text, _ = read_text(_pipe(tmp_path))
    assert text == TEXT


def test_a_pipe_longer_than_the_limit_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="over the limit of 1,000 bytes"):
        read_text(_pipe(tmp_path), max_bytes=1000)


def test_a_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "offer.yaml"
    path.write_text(TEXT, encoding="utf-8")
    assert read_text(path)[1] == TEXT
