"""The Label Studio round trip against a real Label Studio server on 127.0.0.1.

Label Studio lives in its own virtual environment (.venv-label-studio, made by the Makefile) so that its pins never
touch ours; the test drives it as a user would, through label-studio-sdk run with that environment's interpreter
(tests/label_studio_client.py), and skips when it is not installed.
"""

from __future__ import annotations

import copy
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import AP_ID, EXAMPLES, ROOT

from toolkit.annotate import annotate
from toolkit.attribution import derive
from toolkit.formats import export_records, import_records
from toolkit.formats.label_studio import CONFIG_FILE
from toolkit.records import Entity, Record
from toolkit.schema import inventory
from toolkit.validate import validate_record

LABEL_STUDIO = ROOT / ".venv-label-studio" / "bin" / "label-studio"
LS_PYTHON = ROOT / ".venv-label-studio" / "bin" / "python"
SDK_CLIENT = Path(__file__).resolve().parent / "label_studio_client.py"
START_TIMEOUT_S = 420  # a fresh data dir runs every migration: about 1 min idle, 2 under load
LAYERS = ("id", "text", "meta", "cleaning", "split", "schema_version", "entities", "events", "attributions")

pytestmark = pytest.mark.skipif(
    not LABEL_STUDIO.exists(),
    reason=f"Label Studio is not installed ({LABEL_STUDIO.relative_to(ROOT)} is missing): "
           "`make .venv-label-studio` creates its own virtual environment",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabelStudio:
    """A Label Studio server started for one test module, and the few REST calls the round trip needs."""

    def __init__(self, data_dir: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.token = secrets.token_hex(20)
        data_dir.mkdir(parents=True, exist_ok=True)
        self.log = data_dir / "label-studio.log"
        env = {**os.environ, "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir), "LATEST_VERSION_CHECK": "false",
               "COLLECT_ANALYTICS": "false"}
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [str(LABEL_STUDIO), "start", "--no-browser", "--internal-host", "127.0.0.1", "--port", str(self.port),
                 "--data-dir", str(data_dir), "--username", "annotator@example.org",
                 "--password", secrets.token_hex(8), "--user-token", self.token, "--enable-legacy-api-token"],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, start_new_session=True)

    def wait_until_up(self) -> float:
        started = time.monotonic()
        while time.monotonic() - started < START_TIMEOUT_S:
            if self.proc.poll() is not None:
                pytest.fail(f"Label Studio exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.base}/health", timeout=5) as resp:
                    if resp.status == 200:
                        return time.monotonic() - started
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(1)
        pytest.fail(f"Label Studio did not answer within {START_TIMEOUT_S} s:\n{self.log_tail()}")

    def log_tail(self) -> str:
        return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-30:])

    def stop(self) -> None:
        """End the server and every process it started (its own process group)."""
        if self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)

    def sdk(self, command: str, **args):
        """One label-studio-sdk call in Label Studio's own environment; its JSON answer."""
        env = {**os.environ, "LABEL_STUDIO_URL": self.base, "LABEL_STUDIO_API_KEY": self.token}
        proc = subprocess.run([str(LS_PYTHON), str(SDK_CLIENT), command, json.dumps(args, default=str)],
                              capture_output=True, text=True, env=env, timeout=300)
        if proc.returncode != 0:
            pytest.fail(f"label-studio-sdk {command} failed:\n{proc.stderr[-3000:]}")
        return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def label_studio(tmp_path_factory):
    server = LabelStudio(tmp_path_factory.mktemp("label-studio-data"))
    try:
        server.startup_s = server.wait_until_up()
        yield server
    finally:
        server.stop()


def correct(result: list[dict], record: Record) -> tuple[list[dict], Record]:
    """What an annotator does to the prediction (relabel one entity, delete one, add one), and the record that
    should come back."""
    labels = inventory().entity_labels
    result = copy.deepcopy(result)
    expected = copy.deepcopy(record)
    first, second = expected.entities[0], expected.entities[1]
    relabel = next(label for label in labels if label != first.label)
    region = next(i for i in result if i.get("id") == first.id and i.get("from_name") == "entity")
    region["value"]["labels"] = [relabel]
    first.label = relabel
    result = [i for i in result if i.get("id") != second.id]
    expected.entities.remove(second)
    taken = [(e.start, e.end) for e in record.entities]
    word = next(m for m in re.finditer(r"\b[a-z]{5,}\b", record.text)
                if not any(s < m.end() and m.start() < e for s, e in taken))
    result.append({"id": "n3wR3g10n", "from_name": "entity", "to_name": "text", "type": "labels",
                   "value": {"start": word.start(), "end": word.end(), "text": word.group(), "labels": [labels[-1]]}})
    next_id = max(int(e.id[1:]) for e in expected.entities) + 1
    expected.entities.append(Entity(f"T{next_id}", word.start(), word.end(), labels[-1]))
    for att in expected.attributions:
        att.source_entity = None  # derived again from the corrected entities
    return result, derive(expected)


def test_round_trip_through_label_studio(label_studio, tmp_path):
    started = time.monotonic()
    [record] = annotate([EXAMPLES / f"{AP_ID}.txt"], tmp_path / "annotated").records
    assert len(record.entities) >= 2 and record.events and record.attributions
    export_records("label-studio", [record], tmp_path / "ls" / "tasks.json")

    project = label_studio.sdk("create-project", title="toolkit round trip",
                               config=tmp_path / "ls" / CONFIG_FILE)
    assert {"entity", "event", "modality", "attribution", "anonymous"} <= set(project["parsed_label_config"])
    imported = label_studio.sdk("import-tasks", project=project["id"], tasks=tmp_path / "ls" / "tasks.json")
    assert (imported["task_count"], imported["prediction_count"]) == (1, 1)
    first = label_studio.sdk("first-task", project=project["id"])
    task, prediction = first["task"], first["prediction"]
    assert task["data"]["record_id"] == record.id
    assert prediction["model_version"] == "rules"

    result, expected = correct(prediction["result"], record)
    (tmp_path / "result.json").write_text(json.dumps(result), encoding="utf-8")
    label_studio.sdk("submit", task=task["id"], prediction=prediction["id"], result=tmp_path / "result.json")
    export = tmp_path / "export.json"
    label_studio.sdk("export", project=project["id"], out=export)

    back = import_records("label-studio", export)
    assert back.problems == []
    [got] = back.records
    assert {k: got.to_dict().get(k) for k in LAYERS} == {k: expected.to_dict().get(k) for k in LAYERS}
    prov = got.provenance
    assert (prov.method, prov.tool, prov.pre_annotation, prov.reviewed) == ("gold", "label-studio", "rules", True)
    assert prov.annotator == "label-studio-user-1"
    assert validate_record(got.to_dict()) == []
    print(f"\nLabel Studio started in {label_studio.startup_s:.1f} s; round trip took "
          f"{time.monotonic() - started:.1f} s")
