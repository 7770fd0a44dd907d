"""The user's side of the Label Studio round trip, through label-studio-sdk.

Runs with Label Studio's own interpreter (.venv-label-studio/bin/python), where label-studio-sdk is installed
beside Label Studio; the toolkit's environment does not carry the SDK because its pins would downgrade numpy.
Usage: python label_studio_client.py COMMAND JSON_ARGS; prints one JSON object. URL and token come from
LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from label_studio_sdk import LabelStudio


def client() -> LabelStudio:
    return LabelStudio(base_url=os.environ["LABEL_STUDIO_URL"], api_key=os.environ["LABEL_STUDIO_API_KEY"])


def create_project(ls: LabelStudio, title: str, config: str) -> dict:
    project = ls.projects.create(title=title, label_config=Path(config).read_text(encoding="utf-8"))
    return {"id": project.id, "parsed_label_config": sorted((project.parsed_label_config or {}).keys())}


def import_tasks(ls: LabelStudio, project: int, tasks: str) -> dict:
    result = ls.projects.import_tasks(id=project, request=json.loads(Path(tasks).read_text(encoding="utf-8")))
    return {"task_count": result.task_count, "prediction_count": result.prediction_count}


def first_task(ls: LabelStudio, project: int) -> dict:
    task = next(iter(ls.tasks.list(project=project)))
    [prediction] = ls.predictions.list(task=task.id)
    return {"task": {"id": task.id, "data": task.data},
            "prediction": {"id": prediction.id, "model_version": prediction.model_version,
                           "result": prediction.result}}


def submit(ls: LabelStudio, task: int, prediction: int, result: str) -> dict:
    annotation = ls.annotations.create(id=task, result=json.loads(Path(result).read_text(encoding="utf-8")),
                                       parent_prediction=prediction, lead_time=42.0)
    return {"id": annotation.id}


def export(ls: LabelStudio, project: int, out: str) -> dict:
    data = b"".join(ls.projects.exports.download_sync(id=project, export_type="JSON"))
    Path(out).write_bytes(data)
    return {"bytes": len(data)}


COMMANDS = {"create-project": create_project, "import-tasks": import_tasks, "first-task": first_task,
            "submit": submit, "export": export}

if __name__ == "__main__":
    command, args = sys.argv[1], json.loads(sys.argv[2])
    print(json.dumps(COMMANDS[command](client(), **args)))
