"""HTTPS with the operator's certificate: the real `academy serve` (hub + configurable-http-proxy) with
a self-signed certificate made here; the login page is fetched over HTTPS, verified against it."""
from __future__ import annotations

import datetime
import ipaddress
import json
import os
import signal
import ssl
import subprocess
import time
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.hubfixture import free_port  # the tests' own port band

REPO = Path(__file__).resolve().parents[2]
PYTHON = REPO / ".venv" / "bin" / "python"


def self_signed(directory: Path, name: str = "academy.test") -> tuple[Path, Path]:
    """A certificate for 127.0.0.1/localhost, valid one day; key 0600 as an operator would keep it."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    directory.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    key_path.chmod(0o600)
    return cert_path, key_path


def serve_env(root: Path, cert: Path | None, key: Path | None, port: int) -> dict[str, str]:
    env = dict(os.environ, ACADEMY_ROOT=str(root), ACADEMY_PORT=str(port), ACADEMY_SINGLE_USER="1",
               # a lean hub: no course builds, no grading service, no synthetic city (`serve`
               # simulates a 12-month city by default: 100-200 s that nothing here looks at)
               ACADEMY_COURSES="none", ACADEMY_GRADE_ON_SUBMIT="0", ACADEMY_CITY_MONTHS="0",
               PYTHONDONTWRITEBYTECODE="1",
               PATH=f"{PYTHON.parent}:{os.environ.get('PATH', '/usr/bin:/bin')}")
    for name, value in (("ACADEMY_TLS_CERT", cert), ("ACADEMY_TLS_KEY", key)):
        if value is None:
            env.pop(name, None)
        else:
            env[name] = str(value)
    return env


@pytest.fixture(scope="module")
def tls_hub(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tls")
    cert, key = self_signed(tmp / "tls")
    port = free_port()
    root = tmp / "root"
    log = open(tmp / "serve.log", "wb")
    proc = subprocess.Popen([str(PYTHON), "-m", "academy", "serve", "--port", str(port)], cwd=REPO,
                            env=serve_env(root, cert, key, port), stdout=log, stderr=subprocess.STDOUT)
    running = root / "hub" / "running.json"
    try:
        deadline = time.monotonic() + 400
        while time.monotonic() < deadline:
            assert proc.poll() is None, (tmp / "serve.log").read_text(errors="replace")[-4000:]
            try:
                info = json.loads(running.read_text())
                if requests.get(info["api_url"] + "/", timeout=2).ok:
                    break
            except (OSError, ValueError, KeyError, requests.RequestException):
                pass
            time.sleep(0.5)
        else:
            pytest.fail("serve did not start:\n" + (tmp / "serve.log").read_text(errors="replace")[-4000:])
        yield {"port": port, "cert": cert, "root": root, "info": info, "tmp": tmp}
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(120)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        log.close()


pytestmark = [pytest.mark.hub, pytest.mark.slow, pytest.mark.timeout(600)]


def test_login_page_over_https_verified_against_the_certificate(tls_hub):
    r = requests.get(f"https://127.0.0.1:{tls_hub['port']}/hub/login", verify=str(tls_hub["cert"]), timeout=30)
    assert r.status_code == 200
    assert "海东政务服务效能学院" in r.content.decode("utf-8")
    assert tls_hub["info"]["url"] == f"https://127.0.0.1:{tls_hub['port']}/"


def test_the_certificate_served_is_the_operators(tls_hub):
    """Verification is real: a different self-signed certificate is not accepted for this server."""
    other, _ = self_signed(tls_hub["tmp"] / "other", name="someone-else")
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(f"https://127.0.0.1:{tls_hub['port']}/hub/login", verify=str(other), timeout=30)
    served = ssl.get_server_certificate(("127.0.0.1", tls_hub["port"]))
    assert served.strip() == tls_hub["cert"].read_text().strip()


def test_no_plain_http_on_the_public_port(tls_hub):
    try:
        r = requests.get(f"http://127.0.0.1:{tls_hub['port']}/hub/login", timeout=10)
    except requests.RequestException:
        return
    assert "海东政务服务效能学院" not in r.content.decode("utf-8", errors="replace")


def test_serve_imports_no_demo_roster(tls_hub):
    assert not (tls_hub["root"] / "data" / "demo-passwords.txt").exists()


def test_status_shows_the_https_address(tls_hub):
    env = serve_env(tls_hub["root"], None, None, tls_hub["port"])
    proc = subprocess.run([str(PYTHON), "-m", "academy", "status"], env=env, cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"https://127.0.0.1:{tls_hub['port']}/" in proc.stdout


@pytest.mark.parametrize("which, words", [("cert-only", "同时设置"), ("world-readable-key", "chmod 600"),
                                          ("missing-cert", "不存在")])
def test_bad_tls_settings_refused_before_anything_starts(tmp_path, which, words):
    cert, key = self_signed(tmp_path / "tls")
    if which == "cert-only":
        key = None
    elif which == "world-readable-key":
        key.chmod(0o644)
    else:
        cert = tmp_path / "nope.pem"
    port = free_port()
    proc = subprocess.run([str(PYTHON), "-m", "academy", "serve", "--port", str(port)], cwd=REPO,
                          env=serve_env(tmp_path / "root", cert, key, port), capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2
    assert words in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "root").exists()  # nothing prepared, nothing started
