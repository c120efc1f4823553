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


def _failing_on(monkeypatch, function: str, suffix: str, error: OSError) -> None:
    """Make `atomic.os.<function>` fail for paths whose name ends in `suffix` (before any temporary suffix)."""
    real = getattr(atomic.os, function)

    def failing(*args, **kwargs):
        if any(suffix in os.fspath(a) for a in args if isinstance(a, (str, os.PathLike))):
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(atomic.os, function, failing)


DISK_FULL = OSError(28, "No space left on device")  # errno.ENOSPC


@pytest.mark.parametrize("failing", [("open", ".html"), ("replace", ".html")])
def test_write_together_leaves_no_new_file_when_the_second_fails(tmp_path, monkeypatch, failing):
    _failing_on(monkeypatch, *failing, DISK_FULL)
    with pytest.raises(OSError, match="No space left on device") as raised:
        atomic.write_together({tmp_path / "a.ipynb": "{}", tmp_path / "a.html": "<p>new</p>"})
    assert raised.value.filename == str(tmp_path / "a.html")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("failing", [("open", ".html"), ("replace", ".html")])
def test_write_together_leaves_the_old_files_when_the_second_fails(tmp_path, monkeypatch, failing):
    (tmp_path / "a.ipynb").write_text("old notebook")
    (tmp_path / "a.html").write_text("old page")
    _failing_on(monkeypatch, *failing, DISK_FULL)
    with pytest.raises(OSError):
        atomic.write_together({tmp_path / "a.ipynb": "new notebook", tmp_path / "a.html": "new page"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "a.ipynb"]
    assert (tmp_path / "a.ipynb").read_text() == "old notebook"
    assert (tmp_path / "a.html").read_text() == "old page"


def test_write_together_replaces_every_file(tmp_path):
    (tmp_path / "a.ipynb").write_text("old notebook")
    atomic.write_together({tmp_path / "a.ipynb": "new notebook", tmp_path / "a.html": "new page"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "a.ipynb"]
    assert (tmp_path / "a.ipynb").read_text() == "new notebook"
    assert (tmp_path / "a.html").read_text() == "new page"
