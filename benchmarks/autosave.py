"""Autosave throughput under gunicorn (3 workers, or --workers) on the default SQLite database.

Many respondents autosave at once; the same run measures /livez/ for comparison, then
counts the saved rows against the last value each respondent sent for each question.
Localhost only; bounded in requests and time.

    .venv/bin/python benchmarks/autosave.py [--respondents 48] [--threads 12] [--requests 1500]
                                            [--workers 3]

With --workers 1 the figure is one web process's (the README's sizing).

Ends with one JSON line:
{"autosave_rps": …, "livez_rps": …, "ratio": …, "lost_answers": 0}
"""

import argparse
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(var_dir: Path) -> dict:
    return {
        **os.environ,
        "VAR_DIR": str(var_dir),
        "DEBUG": "false",
        "HTTPS": "false",
        "STATIC_FROM_FINDERS": "true",
        "SECRET_KEY": "benchmark-only-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{var_dir / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "filesystem://",
        "LOG_LEVEL": "WARNING",
    }


def _prepare(respondents: int) -> list[dict]:
    """Migrate, load the built-in questionnaire, open an assessment; one dict a respondent."""
    import django

    django.setup()
    from django.core.management import call_command

    from assessments.inputs import AssessmentInput
    from assessments.services import (
        assessment_create,
        assessment_open,
        respondent_add,
        respondent_invite,
        respondent_link,
    )
    from cxmaturity.demo_assessments import default_questionnaire
    from workspaces.services import client_create, workspace_create

    call_command("migrate", verbosity=0)
    from workspaces.models import User

    # Site staff: only staff and existing owners create workspaces.
    owner = User.objects.create_user("bench@example.com", "bench-password-123", is_staff=True)
    workspace = workspace_create(name="Benchmark", owner=owner)
    client = client_create(workspace=workspace, name="Autosave Ltd")
    version = default_questionnaire()
    assessment = assessment_create(
        client=client,
        data=AssessmentInput.from_values({"version": version, "title": "Load"}),
        created_by=owner,
    )
    people = [
        respondent_add(assessment=assessment, name=f"R{n}", email=f"r{n}@bench.example")
        for n in range(respondents)
    ]
    assessment_open(assessment=assessment)
    pages = []
    for dimension in version.dimensions.order_by("position"):
        pages.append([q.key for q in dimension.questions.order_by("position")])
    out = []
    for person in people:
        person = respondent_invite(respondent=person)
        path = respondent_link(person).split("localhost:8000", 1)[1]
        out.append({"id": str(person.id), "path": path, "pages": pages})
    return out


def _request(port: int, method: str, path: str, body: str = "", headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.connect()
        # As browsers do: no Nagle delay between the headers and the body of a POST.
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn.request(method, path, body=body.encode() if body else None, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def _session(port: int, person: dict) -> None:
    """Open the respondent's first page for the CSRF cookie and token, as a browser would."""
    status, headers, body = _request(port, "GET", f"{person['path']}1/")
    if status != 200:
        raise RuntimeError(f"respondent page answered {status}")
    cookie = next(v for k, v in headers if k.lower() == "set-cookie" and "csrftoken" in v)
    person["cookie"] = cookie.split(";", 1)[0]
    person["csrf"] = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)[1].decode()


def _run(worker, threads: int, total: int, seconds: float) -> tuple[int, float, int]:
    """Call worker(i) from `threads` threads until `total` calls or `seconds` pass."""
    lock = threading.Lock()
    state = {"issued": 0, "errors": 0, "done": 0}
    deadline = time.monotonic() + seconds

    def loop() -> None:
        while True:
            with lock:
                if state["issued"] >= total or time.monotonic() > deadline:
                    return
                index = state["issued"]
                state["issued"] += 1
            ok = worker(index)
            with lock:
                state["done"] += 1
                state["errors"] += 0 if ok else 1

    start = time.monotonic()
    pool = [threading.Thread(target=loop) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return state["done"], time.monotonic() - start, state["errors"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--respondents", type=int, default=48)
    parser.add_argument("--threads", type=int, default=12)
    parser.add_argument("--requests", type=int, default=1500, help="per phase, at most")
    parser.add_argument("--seconds", type=float, default=30.0, help="per phase, at most")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="cxm-bench-"))
    env = _environment(var_dir)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxmaturity.settings")
    sys.path.insert(0, str(ROOT))
    people = _prepare(args.respondents)

    port = _free_port()
    server = _server_start(port, env, args.workers)
    sent: dict[tuple[str, str], str] = {}
    try:
        _server_wait(port)
        for person in people:
            _session(port, person)

        def livez(_index: int) -> bool:
            return _request(port, "GET", "/livez/")[0] == 200

        livez_run = _run(livez, args.threads, args.requests, args.seconds)
        autosave = _autosave_worker(port, people, sent)
        save_run = _run(autosave, args.threads, args.requests, args.seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
    _report(args.threads, args.workers, people, sent, livez_run, save_run)


def _server_start(port: int, env: dict, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "cxmaturity.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    return server


def _server_wait(port: int) -> None:
    """Until the server answers /livez/, or ten seconds."""
    for _ in range(100):
        try:
            if _request(port, "GET", "/livez/")[0] == 200:
                break
        except OSError:
            time.sleep(0.1)


def _autosave_worker(port: int, people: list[dict], sent: dict[tuple[str, str], str]):
    """worker(i) saves the i-th answer, walking respondents, then pages, then questions;
    `sent` keeps the last value each respondent saw accepted for each question."""
    sent_lock = threading.Lock()

    def autosave(index: int) -> bool:
        person = people[index % len(people)]
        pages = person["pages"]
        page = (index // len(people)) % len(pages)
        questions = pages[page]
        key = questions[(index // (len(people) * len(pages))) % len(questions)]
        value = str(1 + index % 7)
        body = urlencode(
            {"csrfmiddlewaretoken": person["csrf"], "questions": key, f"{key}-value": value}
        )
        headers = {
            "Cookie": person["cookie"],
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        # One respondent's saves are sequential in a browser; keep that order here.
        with person.setdefault("lock", threading.Lock()):
            status, _headers, _body = _request(
                port, "POST", f"{person['path']}autosave/", body, headers
            )
            if status == 200:
                with sent_lock:
                    sent[(person["id"], key)] = value
        return status == 200

    return autosave


def _report(
    threads: int,
    workers: int,
    people: list[dict],
    sent: dict[tuple[str, str], str],
    livez_run: tuple[int, float, int],
    save_run: tuple[int, float, int],
) -> None:
    from assessments.models import Answer

    livez_done, livez_time, livez_errors = livez_run
    save_done, save_time, save_errors = save_run
    saved = {
        (str(r), k): v
        for r, k, v in Answer.objects.values_list("respondent_id", "question__key", "value")
    }
    lost = sum(1 for pair, value in sent.items() if saved.get(pair) != value)
    livez_rps = livez_done / livez_time
    autosave_rps = save_done / save_time
    print(f"respondents: {len(people)}, client threads: {threads}, gunicorn workers: {workers}")
    print(
        f"/livez/:   {livez_done} requests in {livez_time:.1f} s, {livez_errors} errors, "
        f"{livez_rps:.1f} req/s"
    )
    print(
        f"autosave:  {save_done} requests in {save_time:.1f} s, {save_errors} errors, "
        f"{autosave_rps:.1f} req/s"
    )
    print(
        f"answers sent (distinct respondent × question): {len(sent)}, "
        f"rows saved: {len(saved)}, lost: {lost}"
    )
    print(
        json.dumps(
            {
                "autosave_rps": round(autosave_rps, 1),
                "livez_rps": round(livez_rps, 1),
                "ratio": round(autosave_rps / livez_rps, 3),
                "lost_answers": lost,
            }
        )
    )


if __name__ == "__main__":
    main()
