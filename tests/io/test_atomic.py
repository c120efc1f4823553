import os

import pytest

from vsm_widgets.io import atomic
from vsm_widgets.io.atomic import write_atomically


def test_write_atomically_replaces_and_honours_the_umask(tmp_path):
    target = tmp_path / "readout.html"
    target.write_text("old")
    write_atomically(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, OSError])
def test_write_atomically_leaves_the_old_file_whole_when_interrupted(tmp_path, monkeypatch, interruption):
    target = tmp_path / "readout.html"
    target.write_text("old")

    def interrupted_fsync(descriptor: int) -> None:
        raise interruption()

    monkeypatch.setattr(atomic.os, "fsync", interrupted_fsync)
    with pytest.raises(interruption):
        write_atomically(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["readout.html"]


def test_a_replaced_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "map.yaml"
    target.write_text("old")
    target.chmod(0o600)
    write_atomically(target, "new")
    assert target.stat().st_mode & 0o777 == 0o600
    assert target.read_text() == "new"
