"""Reading a file asks for the size fstat gives, and reads on when more comes (a file still
being written). A named pipe is not read at all: it could keep the tool waiting forever
(tests/test_input_limits.py)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from evaluator.errors import InputError
from evaluator.io import files
from evaluator.io.files import read_text

TEXT = "proposal:\n  id: x\n" * 1000  # 18,000 bytes: several pipe buffers' worth


def _growing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A file whose size, when fstat looks, is less than what reading then finds."""
    path = tmp_path / "offer.yaml"
    path.write_text(TEXT, encoding="utf-8")
    real_fstat = os.fstat

    def early_fstat(fd: int) -> os.stat_result:
        facts = list(real_fstat(fd))
        facts[6] = 10  # st_size: what had been written when it looked
        return os.stat_result(facts)

    monkeypatch.setattr(files.os, "fstat", early_fstat)
    return path


def test_a_file_still_being_written_is_read_to_its_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, text, _ = read_text(_growing(tmp_path, monkeypatch))
    assert text == TEXT


def test_a_file_growing_past_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(InputError, match="over the limit of 1,000 bytes"):
        read_text(_growing(tmp_path, monkeypatch), max_bytes=1000)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_is_refused_even_with_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "offer.yaml"
    os.mkfifo(fifo)

    def write() -> None:
        try:
            with open(fifo, "wb") as out:
                out.write(TEXT.encode("utf-8"))
        except BrokenPipeError:  # refused: nobody reads
            pass

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    with pytest.raises(InputError, match=r"is a named pipe \(FIFO\), not a regular file"):
        read_text(fifo)
    # Let the writer go (it waits for a reader to open the pipe).
    with open(fifo, "rb") as reader:
        reader.read()
    writer.join(timeout=10)


def test_a_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "offer.yaml"
    path.write_text(TEXT, encoding="utf-8")
    assert read_text(path)[1] == TEXT
