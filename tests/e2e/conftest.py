"""Browser tests: Debian's chromium driven by Python Playwright, never a downloaded browser.

Every test here is skipped, with the reason, when chromium or playwright is missing:
``make chromium`` installs the browser and ``pip install -e '.[browser]'`` the driver.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("VSM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _missing() -> str | None:
    if not CHROMIUM.is_file():
        return f"Debian's chromium is not at {CHROMIUM}: run `make chromium` (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed: pip install -e '.[browser]' (never `playwright install`)"
    return None


@pytest.fixture(scope="session", autouse=True)
def _browser_available() -> None:
    """Skip before any expensive fixture runs when the browser cannot be driven."""
    reason = _missing()
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# ----- JupyterLab: the explorer notebook in a real lab (tests/e2e/test_explorer_browser.py) ---------------

LOCAL_HOSTS = ("127.0.0.1", "localhost")
LAB_START_SECONDS = 60
# JupyterLab user settings for a test page: no news feed or update check (offline), and a notebook
# starts its own kernel without asking which one.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"autoStartDefaultKernel": True},
}


@dataclass
class OfflinePage:
    """A page that may only reach localhost; `blocked` lists every other request it tried."""

    page: object
    blocked: list[str] = field(default_factory=list)


@pytest.fixture
def viewport() -> dict[str, int]:
    """The page size; a test parametrizes ``viewport`` to drive the explorer on a laptop screen."""
    return {"width": 1600, "height": 1200}


@pytest.fixture
def scale() -> float:
    """Device pixels per CSS pixel; a test parametrizes ``scale`` with 2 to look at a high-density screen."""
    return 1


@pytest.fixture
def offline_page(browser, viewport, scale) -> Iterator[OfflinePage]:
    """A fresh page whose requests to anything but localhost are aborted and recorded."""
    context = browser.new_context(viewport=viewport, device_scale_factor=scale)
    blocked: list[str] = []

    def route(routed) -> None:
        url = routed.request.url
        host = url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
        if url.startswith(("data:", "blob:", "about:")) or host in LOCAL_HOSTS:
            routed.continue_()
        else:
            blocked.append(url)
            routed.abort()

    context.route("**/*", route)
    yield OfflinePage(context.new_page(), blocked)
    context.close()


def free_port() -> int:
    """A TCP port nobody listens on at the moment."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Lab:
    """A running JupyterLab: its root folder and how to open a file in it."""

    root: Path
    url: str
    token: str

    def open_url(self, relative: str) -> str:
        """The address that opens `relative` (a path under `root`) in JupyterLab."""
        return f"{self.url}lab/tree/{relative}?token={self.token}"


def _wait_until_up(process: subprocess.Popen, url: str, token: str, log: Path) -> None:
    deadline = time.monotonic() + LAB_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}api/status?token={token}", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"JupyterLab did not answer within {LAB_START_SECONDS} s:\n{log.read_text()[-3000:]}")


@pytest.fixture
def jupyter_lab(tmp_path: Path) -> Iterator[Callable[[dict[str, Path]], Lab]]:
    """Start JupyterLab on a free localhost port with a token, over a temporary root folder.

    Call the fixture with ``{relative path in the root: file to copy there}``; it
    returns a `Lab`. The server runs this checkout's Python, opens no browser,
    keeps its settings, workspaces and runtime files in the temporary folder, and
    is stopped (with its kernels) when the test ends.
    """
    started: list[subprocess.Popen] = []

    def start(files: dict[str, Path]) -> Lab:
        root = tmp_path / "root"
        for relative, source in files.items():
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
        home = tmp_path / "lab-home"
        settings = home / "settings"
        for name, values in LAB_SETTINGS.items():
            path = settings / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        port, token = free_port(), secrets.token_hex(16)
        environment = dict(
            os.environ,
            JUPYTER_RUNTIME_DIR=str(home / "runtime"),
            JUPYTER_CONFIG_DIR=str(home / "config"),
            IPYTHONDIR=str(home / "ipython"),
        )
        command = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            "--ServerApp.open_browser=False",
            f"--ServerApp.root_dir={root}",
            f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={home / 'workspaces'}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
            "--LabApp.news_url=None",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--ServerApp.allow_root=True")  # CI machines run the tests as root
        log = tmp_path / "jupyterlab.log"
        with log.open("w") as output:
            process = subprocess.Popen(command, cwd=root, env=environment, stdout=output, stderr=subprocess.STDOUT)
        started.append(process)
        url = f"http://127.0.0.1:{port}/"
        _wait_until_up(process, url, token, log)
        return Lab(root, url, token)

    yield start
    for process in started:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
