"""Several machines on shared storage, over real HTTP: two gunicorn web processes and two
Celery workers, each in a working directory (and VAR_DIR) of its own, sharing only
PostgreSQL, Redis and an S3 bucket served by moto's standalone server.

A logo uploaded through web 1 appears in a playbook rendered by worker 2 (the only one on
the `pdf` queue) and downloaded through web 2; a transactions file uploaded through web 2
is analysed by worker 1 (the only one on `default`) and read back through web 1. At the
end no process has a media folder: every file went through the bucket. Then
tests/test_storage.py runs against the same S3 server (S3_TEST_ENDPOINT).

Run by `make test-multihost` (and the third leg of .ci/run). Needs PostgreSQL and Redis;
MULTIHOST_DATABASE_URL, MULTIHOST_REDIS_URL and MOTO_SERVER override the defaults below.
"""

import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import redis
import requests
from PIL import Image
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DATABASE_URL = os.environ.get(
    "MULTIHOST_DATABASE_URL",
    "postgres://cxmaturity:cxmaturity@127.0.0.1:5432/cxmaturity_multihost",
)
REDIS_URL = os.environ.get("MULTIHOST_REDIS_URL", "redis://127.0.0.1:6379/5")
MOTO_SERVER = os.environ.get("MOTO_SERVER", str(BIN / "moto_server"))
BUCKET = "cx-multihost"
TIMEOUT = float(os.environ.get("MULTIHOST_TIMEOUT", "180"))
OWNER = ("owner@demo.cxmaturity.local", "demo-cx-2026")
# An odd size no other picture in a playbook has, so the PDF's copy is recognisable.
LOGO_SIZE = (97, 31)
CSV = (
    b"customer_id,date,amount\n"
    b"a,2026-01-01,10\na,2026-01-11,20\na,2026-01-31,30\nb,2026-03-01,100\n"
    b"c,2026-02-01,5\nc,2026-02-15,5\nd,2025-06-01,50\ne,2026-03-20,7\n"
)


def say(message: str) -> None:
    print(f"[multihost] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(what: str, check: Callable[[], object], procs: "Processes") -> object:
    """Polls `check` until it returns something truthy; a process that died fails at once."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        procs.assert_alive()
        try:
            value = check()
        except (requests.ConnectionError, OSError):
            value = None
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out after {TIMEOUT:.0f} s waiting for {what}")


class Processes:
    """Every process started here, each with its own folder and log; all stopped on exit."""

    def __init__(self, base: Path, env: dict[str, str]) -> None:
        self.base = base
        self.env = env
        self.running: dict[str, subprocess.Popen] = {}

    def folder(self, name: str) -> Path:
        path = self.base / name
        path.mkdir(exist_ok=True)
        return path

    def _env(self, name: str) -> dict[str, str]:
        return {**self.env, "VAR_DIR": str(self.folder(name) / "var")}

    def run(self, name: str, *args: str, **env: str) -> None:
        """Runs a command to its end; a variable given as "" is left out of its environment."""
        done = subprocess.run(
            args,
            cwd=self.folder(name),
            env={k: v for k, v in {**self._env(name), **env}.items() if v},
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise AssertionError(f"{name}: {' '.join(args)} failed\n{done.stdout}{done.stderr}")

    def start(self, name: str, *args: str) -> None:
        log = (self.folder(name) / "process.log").open("w")
        self.running[name] = subprocess.Popen(
            args,
            cwd=self.folder(name),
            env=self._env(name),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log(self, name: str) -> str:
        return (self.base / name / "process.log").read_text(errors="replace")

    def assert_alive(self) -> None:
        for name, proc in self.running.items():
            if proc.poll() is not None:
                raise AssertionError(f"{name} exited with {proc.returncode}")

    def stop(self) -> None:
        for proc in self.running.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.running.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def tails(self, lines: int = 40) -> None:
        for name in self.running:
            tail = self.log(name).splitlines()[-lines:]
            print(f"\n----- {name} (last {len(tail)} lines) -----", file=sys.stderr)
            print("\n".join(tail), file=sys.stderr)


def fresh_database() -> None:
    url = urlsplit(DATABASE_URL)
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


class Site:
    """One browser session, over HTTP, against whichever web process is named."""

    def __init__(self, web1: str, web2: str) -> None:
        self.web = {1: web1, 2: web2}
        self.http = requests.Session()

    def url(self, web: int, path: str) -> str:
        return self.web[web] + path

    def _csrf(self) -> dict[str, str]:
        return {"X-CSRFToken": self.http.cookies["csrftoken"]}

    def sign_in(self, web: int) -> None:
        self.http.get(self.url(web, "/accounts/login/")).raise_for_status()
        response = self.http.post(
            self.url(web, "/accounts/login/"),
            data={"username": OWNER[0], "password": OWNER[1]},
            headers=self._csrf(),
            allow_redirects=False,
        )
        assert response.status_code == 302, f"sign-in answered {response.status_code}"

    def api(self, web: int, path: str, **kwargs: object) -> dict:
        method = "post" if "json" in kwargs else "get"
        response = self.http.request(
            method, self.url(web, "/api/v1/" + path), headers=self._csrf(), **kwargs
        )
        assert response.ok, f"{method} {path}: {response.status_code} {response.text[:300]}"
        return response.json()

    def post_form(self, web: int, path: str, data: dict, files: dict) -> requests.Response:
        response = self.http.post(
            self.url(web, path), data=data, files=files, headers=self._csrf(), allow_redirects=False
        )
        assert response.status_code == 302, (
            f"POST {path}: {response.status_code} {response.text[:500]}"
        )
        return response


def logo_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", LOGO_SIZE, "#336699").save(buffer, "PNG")
    return buffer.getvalue()


def ran(procs: Processes, worker: str, task: str) -> int:
    """How many times `worker` logged `task` as succeeded."""
    return len(re.findall(re.escape(task) + r"\[[0-9a-f-]+\] succeeded", procs.log(worker)))


def ran_on(procs: Processes, task: str) -> dict[str, int]:
    """How often each worker logged `task` as succeeded, once any worker has.

    The task writes its "done" status before Celery logs it as succeeded, so a
    page can show "done" a moment before the log line exists: wait for the line.
    """
    wait_for(
        f"a worker to log {task} as succeeded",
        lambda: any(ran(procs, w, task) for w in ("worker1", "worker2")),
        procs,
    )
    return {w: ran(procs, w, task) for w in ("worker1", "worker2")}


def scenario(procs: Processes, site: Site) -> None:
    site.sign_in(1)
    workspace = next(
        w for w in site.api(1, "workspaces/")["results"] if "demo" in w["name"].lower()
    )
    w = workspace["id"]
    clients = site.api(1, f"workspaces/{w}/clients/")["results"]
    client = next(c for c in clients if c["name"].startswith("Northwind"))["id"]
    say(f"signed in through web 1; workspace {w}, client {client}")

    site.post_form(
        1,
        f"/w/{w}/settings/",
        {"name": workspace["name"], "accent_colour": "#aa3300"},
        {"logo": ("logo.png", logo_png(), "image/png")},
    )
    say("logo uploaded through web 1")

    document = site.api(
        1, f"workspaces/{w}/documents/", json={"client": client, "kind": "playbook"}
    )
    path = f"workspaces/{w}/documents/{document['id']}/"
    done = wait_for(
        "the playbook render",
        lambda: (d := site.api(2, path))["status"] in ("done", "failed") and d,
        procs,
    )
    assert done["status"] == "done", f"render failed: {done['error']}"
    runs = ran_on(procs, "playbooks.tasks.document_render_task")
    assert runs == {"worker1": 0, "worker2": 1}, runs
    say("playbook rendered by worker 2")

    download = site.http.get(site.url(2, f"/w/{w}/documents/{document['id']}/download/"))
    download.raise_for_status()
    hops = [urlsplit(r.headers["Location"]) for r in download.history]
    assert hops, "web 2 served the PDF itself instead of a link to the bucket"
    assert f"/{BUCKET}/" in hops[-1].path, f"not a link to the bucket: {hops}"
    assert "X-Amz-Signature" in hops[-1].query
    pdf = PdfReader(io.BytesIO(download.content))
    sizes = {image.image.size for page in pdf.pages for image in page.images}
    assert LOGO_SIZE in sizes, f"no {LOGO_SIZE} logo among the PDF's images {sizes}"
    say(f"PDF downloaded through web 2 from the bucket: {len(pdf.pages)} pages, logo inside")

    site.sign_in(2)
    before = {a["id"] for a in site.api(2, f"workspaces/{w}/segment-analyses/")["results"]}
    site.post_form(
        2,
        f"/w/{w}/clients/{client}/insights/",
        {"as_of": "2026-03-31", "k": "2"},
        {"file": ("transactions.csv", CSV, "text/csv")},
    )
    made = [a for a in site.api(2, f"workspaces/{w}/segment-analyses/")["results"]]
    (analysis,) = [a["id"] for a in made if a["id"] not in before]
    say("transactions uploaded through web 2")
    path = f"workspaces/{w}/segment-analyses/{analysis}/"
    result = wait_for(
        "the analysis",
        lambda: (a := site.api(1, path))["status"] in ("done", "failed") and a,
        procs,
    )
    assert result["status"] == "done", f"analysis failed: {result['error']}"
    assert (result["rows"], result["customers"]) == (8, 5), result
    runs = ran_on(procs, "insights.tasks.analysis_run_task")
    assert runs == {"worker1": 1, "worker2": 0}, runs
    say(f"analysis done by worker 1, read through web 1: {result['rows']} rows, 5 customers")

    media = [p for p in procs.base.glob("*/var/media") if any(p.rglob("*"))]
    assert not media, f"files reached a local disk: {media}"
    say("no process has a local media folder: every file went through the bucket")


def main() -> int:
    base = Path(tempfile.mkdtemp(prefix="cx-multihost-"))
    s3_port, web1_port, web2_port = free_port(), free_port(), free_port()
    endpoint = f"http://127.0.0.1:{s3_port}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CELERY_"))},
        "PYTHONPATH": str(ROOT),
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "DJANGO_SETTINGS_MODULE": "cxmaturity.settings",
        "DEBUG": "false",
        "HTTPS": "false",
        "STATIC_FROM_FINDERS": "true",
        # Shared by every web process, or a session signed by one is refused by the other.
        "SECRET_KEY": "multihost-" + os.urandom(24).hex(),
        "DATABASE_URL": DATABASE_URL,
        "CELERY_BROKER_URL": REDIS_URL,
        "MEDIA_STORAGE_URL": f"s3://{BUCKET}?endpoint_url={endpoint}&region_name=us-east-1",
        "AWS_ACCESS_KEY_ID": "multihost",
        "AWS_SECRET_ACCESS_KEY": "multihost",
        "LOG_LEVEL": "INFO",
    }
    procs = Processes(base, env)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ok = False
    try:
        say(f"processes live under {base}")
        procs.start("s3", MOTO_SERVER, "-p", str(s3_port))
        wait_for(
            "the S3 server", lambda: requests.get(endpoint + "/moto-api/", timeout=5).ok, procs
        )
        import boto3

        boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="multihost",
            aws_secret_access_key="multihost",
        ).create_bucket(Bucket=BUCKET)
        fresh_database()
        py = str(BIN / "python")
        manage = str(ROOT / "manage.py")
        procs.run("setup", py, manage, "migrate", "--no-input", "-v", "0")
        procs.run("setup", py, manage, "createcachetable")
        # The demo playbook is rendered here, in-process; anything else the seed queued is
        # dropped, so the workers' logs hold only this scenario's tasks.
        procs.run("setup", py, manage, "seed_demo", DEMO_RENDER_PLAYBOOK="true")
        redis.Redis.from_url(REDIS_URL).flushdb()
        say("database migrated and seeded once")

        for name, port in (("web1", web1_port), ("web2", web2_port)):
            procs.start(
                name,
                str(BIN / "gunicorn"),
                "cxmaturity.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--timeout",
                "60",
                "--graceful-timeout",
                "30",
                "--access-logfile",
                "-",
            )
        for name, queue in (("worker1", "default"), ("worker2", "pdf")):
            procs.start(
                name,
                str(BIN / "celery"),
                "-A",
                "cxmaturity",
                "worker",
                "--queues",
                queue,
                "--hostname",
                f"{name}@%h",
                "--concurrency",
                "1",
                "--loglevel",
                "INFO",
            )
        web1, web2 = (f"http://127.0.0.1:{p}" for p in (web1_port, web2_port))
        for url in (web1, web2):
            wait_for(url, lambda url=url: requests.get(url + "/livez/", timeout=5).ok, procs)
        for name in ("worker1", "worker2"):
            wait_for(f"{name} ready", lambda name=name: "ready." in procs.log(name), procs)
        say("web 1, web 2, worker 1 (queue default) and worker 2 (queue pdf) are up")

        scenario(procs, Site(web1, web2))
        say("tests/test_storage.py against the S3 server")
        procs.run(
            "pytest",
            py,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            str(ROOT / "tests" / "test_storage.py"),
            DEBUG="true",
            DATABASE_URL="",
            CELERY_BROKER_URL="",
            MEDIA_STORAGE_URL="",
            S3_TEST_ENDPOINT=endpoint,
        )
        ok = True
    finally:
        procs.stop()
        if not ok:
            procs.tails()
            print(f"\n[multihost] FAILED; logs kept under {base}", file=sys.stderr)
        else:
            shutil.rmtree(base, ignore_errors=True)
            say("passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
