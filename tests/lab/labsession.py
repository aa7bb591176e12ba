"""Start a real JupyterLab 4 and Debian's headless Chromium for tests/lab, and stop them.

:func:`running_lab` gives the server a free port on loopback, a random token (in its
environment, so it is in no command line), a root dir, and its own config, data,
runtime, settings, workspace, IPython and temp dirs with ``JUPYTER_NO_CONFIG`` set:
nothing of the machine's Jupyter set-up (config files, kernels, extensions, saved
workspaces) reaches it. The kernel is this interpreter, written into the private data
dir. No API key reaches it either, so ``explore()`` picks the demo sandbox itself, as it
does for a new user. :func:`running_chromium` drives Debian's Chromium through Debian's
chromedriver, so Selenium has nothing to download.

Both record every process they started (the server, its kernels, chromedriver, Chromium
and its helpers) and fail if any is still running after they stopped.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
# The labextensions of this environment only (ipywidgets' manager among them).
LABEXTENSIONS = Path(sys.prefix) / "share" / "jupyter" / "labextensions"
STARTUP_SECONDS = 120


def wait_for(
    condition: Callable[[], Any],
    timeout: float,
    what: str,
    seen: Callable[[], Any] | None = None,
) -> Any:
    """Poll ``condition`` until it returns something truthy; fail after ``timeout`` s.

    ``seen`` says what there was instead, in the failure message.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            instead = f"; instead: {seen()!r}" if seen is not None else ""
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}{instead}")
        time.sleep(0.2)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def descendants(pid: int) -> list[psutil.Process]:
    try:
        parent = psutil.Process(pid)
        return [parent, *parent.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def still_running(processes: list[psutil.Process], timeout: float = 30) -> list[str]:
    """The processes of the list that have not exited within ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while (left := alive(processes)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def alive(processes: list[psutil.Process]) -> list[str]:
    """The processes of the list still running (a reused pid is told apart by start time)."""
    running = []
    for process in processes:
        try:
            if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                running.append(f"{process.pid} {' '.join(process.cmdline())[:200]}")
        except psutil.NoSuchProcess:
            continue
    return running


@dataclass
class Lab:
    """A running JupyterLab: where it answers, its token, its root and its log."""

    url: str
    token: str
    root: Path
    log: Path
    process: subprocess.Popen[bytes]
    seen: list[psutil.Process] = field(default_factory=list)

    def api(self, path: str) -> Any:
        answer = requests.get(
            f"{self.url}{path}", headers={"Authorization": f"token {self.token}"}, timeout=10
        )
        answer.raise_for_status()
        return answer.json()

    def remember_processes(self) -> None:
        """Note the server's process tree now (kernels included), to check it is gone later."""
        known = {p.pid for p in self.seen}
        self.seen += [p for p in descendants(self.process.pid) if p.pid not in known]

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def lab_environment(home: Path, token: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # Nothing of the machine's Jupyter or IPython set-up, and no key: the demo is the
        # default client, as for a new user.
        if not key.startswith(("JUPYTER", "IPYTHON", "ATRIBU_API_KEY", "ATRIBU_BASE_URL"))
    }
    dirs = {
        "JUPYTER_CONFIG_DIR": "config",
        "JUPYTER_DATA_DIR": "data",
        "JUPYTER_RUNTIME_DIR": "runtime",
        "JUPYTERLAB_SETTINGS_DIR": "settings",
        "JUPYTERLAB_WORKSPACES_DIR": "workspaces",
        "IPYTHONDIR": "ipython",
        "MPLCONFIGDIR": "matplotlib",
        "TMPDIR": "tmp",
        "ATRIBU_CACHE_DIR": "atribu-cache",
    }
    for name, folder in dirs.items():
        (home / folder).mkdir(parents=True, exist_ok=True)
        env[name] = str(home / folder)
    env["JUPYTER_NO_CONFIG"] = "1"
    env["JUPYTER_TOKEN"] = token
    env["PYTHONNOUSERSITE"] = "1"
    # The dashboard draws its charts itself; a notebook's own backend is the inline one.
    env.pop("MPLBACKEND", None)
    return env


# Lab's own settings for the test: no news or update prompt over the page, and every cell
# kept in the DOM (the default windowing detaches cells scrolled out of view).
SETTINGS = {
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}


def write_settings(settings_dir: Path) -> None:
    for plugin, values in SETTINGS.items():
        path = settings_dir / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


def write_kernelspec(data_dir: Path) -> None:
    """The python3 kernel is this interpreter, whatever other kernels the machine has."""
    spec = data_dir / "kernels" / "python3"
    spec.mkdir(parents=True)
    kernel = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    (spec / "kernel.json").write_text(json.dumps(kernel))


@contextmanager
def running_lab(home: Path, root: Path) -> Iterator[Lab]:
    """JupyterLab serving ``root``, its private dirs under ``home``; stopped on exit."""
    token = secrets.token_hex(24)
    env = lab_environment(home, token)
    write_kernelspec(Path(env["JUPYTER_DATA_DIR"]))
    write_settings(Path(env["JUPYTERLAB_SETTINGS_DIR"]))
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.terminals_enabled=False",
        # The test drives Lab through its command registry (window.jupyterapp).
        "--LabApp.expose_app_in_browser=True",
        f"--LabApp.labextensions_path={LABEXTENSIONS}",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        # No extension manager: it would ask PyPI what extensions exist.
        "--LabApp.extension_manager=readonly",
    ]
    if os.geteuid() == 0:  # containers and CI images often run tests as root
        command.append("--allow-root")
    log = home / "jupyterlab.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, cwd=root, stdout=out, stderr=subprocess.STDOUT)
    server = Lab(f"http://127.0.0.1:{port}", token, root, log, process)
    try:

        def ready() -> bool:
            if process.poll() is not None:
                pytest.fail(f"JupyterLab exited with {process.returncode}:\n{server.log_tail()}")
            try:
                server.api("/api/status")
            except requests.RequestException:
                return False
            return True

        wait_for(ready, STARTUP_SECONDS, "JupyterLab to answer /api/status")
        server.remember_processes()
        yield server
    finally:
        server.remember_processes()
        # SIGTERM: the server shuts its kernels down, then exits.
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            for leftover in server.seen:
                leftover.kill()
            process.wait(timeout=10)
            pytest.fail(f"JupyterLab did not stop on SIGTERM:\n{server.log_tail()}")
    assert still_running(server.seen) == [], server.log_tail()


CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--force-device-scale-factor=1",
    # Only the server on loopback is reachable: anything else goes to a dead proxy.
    "--proxy-server=127.0.0.1:9",
)


def executable(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    pytest.fail(
        f"{names[0]} is not installed: run `make test`, which installs Debian's chromium "
        "and chromium-driver with apt (see the Makefile's browser-deps), then run the tests."
    )


@contextmanager
def running_chromium(profile: Path) -> Iterator[Any]:
    """A Selenium driver of headless Chromium with its profile in ``profile``; quit on exit."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    # Both paths given: Selenium Manager has nothing to look up or download.
    options.binary_location = executable("chromium", "chromium-browser")
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    service = Service(
        executable_path=executable("chromedriver"), log_output=str(profile / "chromedriver.log")
    )
    driver = webdriver.Chrome(service=service, options=options)
    started: list[psutil.Process] = []
    try:
        started = descendants(service.process.pid)
        yield driver
    finally:
        started += [p for p in descendants(service.process.pid) if p not in started]
        driver.quit()
    assert still_running(started) == []
