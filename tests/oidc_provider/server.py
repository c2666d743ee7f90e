"""Start and stop the test OpenID provider in its own process (`manage.py runserver`)."""

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
MANAGE = HERE / "manage.py"
CLIENT_ID = "dichvucong"
CLIENT_SECRET = "dichvucong-test-secret"


@dataclass
class RunningProvider:
    url: str
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_endpoint: str
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET
    process: subprocess.Popen | None = field(default=None, repr=False)
    log_path: Path | None = None

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_provider(data_dir: Path, *, redirect_uri: str, timeout: float = 30) -> RunningProvider:
    """Prepare a fresh provider database in `data_dir`, run the provider on a free port and wait until
    its discovery document answers. Raises RuntimeError with the server's output if it does not."""
    port = _free_port()
    site_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "OP_DATA_DIR": str(data_dir),
        "OP_SITE_URL": site_url,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    env.pop("DATABASE_URL", None)
    prepare = subprocess.run(
        [
            sys.executable,
            str(MANAGE),
            "op_prepare",
            "--redirect-uri",
            redirect_uri,
            "--client-id",
            CLIENT_ID,
            "--client-secret",
            CLIENT_SECRET,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if prepare.returncode != 0:
        raise RuntimeError(
            f"the test OpenID provider could not be prepared:\n{prepare.stdout}\n{prepare.stderr}"
        )

    log_path = data_dir / "server.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, str(MANAGE), "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    discovery_url = f"{site_url}/openid/.well-known/openid-configuration"
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the test OpenID provider stopped:\n{log_path.read_text(errors='replace')}")
        try:
            response = requests.get(discovery_url, timeout=2)
            if response.status_code == 200:
                break
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(
                f"the test OpenID provider did not answer in {timeout} s:\n{log_path.read_text()}"
            )
        time.sleep(0.1)
    discovery = response.json()
    return RunningProvider(
        url=site_url,
        issuer=discovery["issuer"],
        authorization_endpoint=discovery["authorization_endpoint"],
        token_endpoint=discovery["token_endpoint"],
        userinfo_endpoint=discovery["userinfo_endpoint"],
        jwks_endpoint=discovery["jwks_uri"],
        process=process,
        log_path=log_path,
    )
