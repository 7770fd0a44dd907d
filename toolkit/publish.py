"""`toolkit publish`: license-gate the records, build the Hub layout and card locally, verify it, upload, verify again.

Re-running on unchanged data uploads nothing: every local file is compared with the remote tree first (sha256 for
LFS files, the git blob id for others), and when nothing differs no commit is made at all.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import atomic
from .annotate import RECORDS_FILE
from .records import read_records
from .card import CardFacts, render_card, validate_card
from .errors import ToolkitError
from .hub_layout import CONFIGS, build_layout, write_shards
from .licenses import is_redistributable
from .records import Record

REPO_ID = re.compile(r"[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*")
CARD_FILE = "README.md"
MANAGED_DIR = "data/"  # remote files under it that the layout no longer has are deleted


@dataclass
class PublishResult:
    folder: Path
    repo_id: str
    revision: str
    published: list[str] = field(default_factory=list)  # record ids
    left_out: list[str] = field(default_factory=list)  # one line per document left out
    files: list[str] = field(default_factory=list)  # repo paths of the layout
    uploaded: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    commit: str | None = None  # the new commit, None when nothing was uploaded
    verified_local: list[str] = field(default_factory=list)
    verified_remote: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        from huggingface_hub import constants

        return f"{constants.ENDPOINT}/datasets/{self.repo_id}" + (f"/tree/{self.revision}" if self.revision != "main" else "")


def publish(
    dataset: Path,
    repo_id: str,
    *,
    private: bool = False,
    revision: str | None = None,
    out: Path | None = None,
    dry_run: bool = False,
    allow_licenses: Iterable[str] = (),
    root: Path | None = None,
    log: Callable[[str], None] = lambda line: None,
) -> PublishResult:
    """Publish an annotated dataset (folder with records.jsonl, or a .jsonl file) to the Hub as `repo_id`.

    With `dry_run` or `out` it stops after building and verifying the local folder.
    """
    if not REPO_ID.fullmatch(repo_id or ""):
        raise ToolkitError(f"--repo-id {repo_id!r}: expected ORG/NAME")
    upload = not dry_run and out is None
    token = hub_token() if upload else None  # before any work: a missing token must not cost a build
    records_path = _records_path(Path(dataset))
    if out is not None and (Path(out) / RECORDS_FILE).exists():
        raise ToolkitError(f"--out {out}: holds {RECORDS_FILE}; its data/ and README.md would be replaced, "
                           "choose an empty folder")
    kept, left_out = gate(_read_valid(records_path), allow_licenses)
    for line in left_out:
        log(line)
    if not kept:
        raise ToolkitError(f"{records_path}: no document may be published (all {len(left_out)} left out)")
    folder = Path(out) if out is not None else Path(tempfile.mkdtemp(prefix="toolkit-publish-"))
    result = PublishResult(folder, repo_id, revision or "main", [r.id for r in kept], left_out)
    facts = CardFacts(repo_id, left_out=left_out, root=Path(root) if root else Path.cwd())
    built = build_folder(kept, folder, facts)
    result.files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    log(f"built {folder}: {len(kept)} document(s), configs {', '.join(CONFIGS)}")
    result.verified_local = verify(str(folder), built, where=str(folder))
    log(f"verified {folder}: load_dataset gives the same rows and features for {', '.join(result.verified_local)}")
    if not upload:
        return result
    try:
        _upload(result, built, token, private, log)
    finally:
        if out is None:
            shutil.rmtree(folder, ignore_errors=True)
    return result


# --- inputs and gating -----------------------------------------------------------------------------------------


def hub_token() -> str:
    """HF_TOKEN or the saved login; never printed, logged or written."""
    from huggingface_hub import get_token

    token = get_token()
    if not token:
        raise ToolkitError("no Hugging Face token: set HF_TOKEN or run `hf auth login` "
                           "(--dry-run builds and checks the folder without one)")
    return token


def _records_path(dataset: Path) -> Path:
    path = dataset / RECORDS_FILE if dataset.is_dir() else dataset
    if not path.is_file():
        where = f"{dataset}: no {RECORDS_FILE} in this folder" if dataset.is_dir() else f"{dataset}: no such file"
        raise ToolkitError(f"{where} (expected a folder written by `toolkit annotate` or a records .jsonl file)")
    return path


def _read_valid(path: Path) -> list[Record]:
    """Only records that pass `toolkit validate` are published."""
    from .validate import validate_paths

    report = validate_paths([path])
    if report.problems:
        more = f" (and {len(report.problems) - 1} more; run `toolkit validate {path}`)" if len(report.problems) > 1 else ""
        raise ToolkitError(f"{report.problems[0]}{more}")
    return read_records(path)


def gate(records: list[Record], allow_licenses: Iterable[str] = ()) -> tuple[list[Record], list[str]]:
    """(publishable records, one line per record left out saying why).

    Open licenses are allowed by default; `allow_licenses` adds others by name, but a record marked
    `redistributable: false` is never published.
    """
    allowed = {a.strip().lower() for a in allow_licenses}
    kept, left_out = [], []
    for r in records:
        lic = r.meta.license
        if not r.meta.redistributable:
            left_out.append(f"left out {r.id}: meta.redistributable is false (license: {lic or 'none stated'})")
        elif not lic:
            left_out.append(f"left out {r.id}: no license stated")
        elif not (is_redistributable(lic) or lic.strip().lower() in allowed):
            left_out.append(f"left out {r.id}: license {lic!r} is not an open license "
                            f"(pass --allow-license {lic!r} to publish it)")
        else:
            kept.append(r)
    return kept, left_out


# --- local build and verification ------------------------------------------------------------------------------


def build_folder(records: list[Record], folder: Path, facts: CardFacts) -> dict:
    """data/ shards and README.md, written atomically; the card is validated before anything is replaced."""
    built = build_layout(records)
    with atomic.staged(folder) as stage:
        paths = write_shards(built, stage)
        facts.shard_bytes = {p: (stage / p).stat().st_size for p in paths}
        card = render_card(records, built, facts)
        validate_card(card, where=f"{folder}/{CARD_FILE}")
        (stage / CARD_FILE).write_text(card, encoding="utf-8")
    return built


def verify(path: str, built: dict, where: str, **load_kwargs) -> list[str]:
    """load_dataset(path, CONFIG) must give the built rows and features for every config."""
    from datasets import load_dataset
    from datasets.utils.logging import disable_progress_bar

    disable_progress_bar()
    with tempfile.TemporaryDirectory(prefix="toolkit-verify-") as cache:
        for config in CONFIGS:
            try:
                loaded = load_dataset(path, config, cache_dir=cache, **load_kwargs)
            except Exception as err:  # any failure to load is the one-line verification error
                first = str(err).strip().splitlines()[0] if str(err).strip() else err.__class__.__name__
                raise ToolkitError(f"{where}: load_dataset(..., {config!r}) failed: {first}") from None
            problem = difference(loaded, built[config])
            if problem:
                raise ToolkitError(f"{where}: config {config!r}: {problem}")
    return list(CONFIGS)


def difference(loaded, expected) -> str | None:
    """What differs between two DatasetDicts, or None."""
    if set(loaded) != set(expected):
        return f"splits {sorted(loaded)} differ from the source's {sorted(expected)}"
    for split, ds in expected.items():
        got = loaded[split]
        if got.features != ds.features:
            return f"split {split!r}: features differ from the source"
        if len(got) != len(ds):
            return f"split {split!r}: {len(got)} rows, the source has {len(ds)}"
        for i, (a, b) in enumerate(zip(got, ds)):
            if a != b:
                return f"split {split!r}: row {i} ({b.get('id')}) differs from the source"
    return None


# --- upload ----------------------------------------------------------------------------------------------------


def _upload(result: PublishResult, built: dict, token: str, private: bool, log: Callable[[str], None]) -> None:
    from huggingface_hub import HfApi, constants
    from huggingface_hub.utils import disable_progress_bars

    disable_progress_bars()
    api = HfApi(token=token)
    repo, rev = result.repo_id, result.revision
    try:
        api.create_repo(repo, repo_type="dataset", private=private, exist_ok=True)
        if rev != "main":
            api.create_branch(repo, repo_type="dataset", branch=rev, exist_ok=True)
        adds, deletes, unchanged = plan(api, repo, rev, result.folder)
        result.unchanged = unchanged
        if adds or deletes:
            ops = [_add(result.folder, p) for p in adds] + [_delete(p) for p in deletes]
            info = api.create_commit(
                repo, ops, repo_type="dataset", revision=rev,
                commit_message=f"Publish {len(result.published)} document(s) with toolkit publish",
            )
            result.commit, result.uploaded, result.deleted = info.oid, adds, deletes
            log(f"committed {info.oid[:12]} to {repo}@{rev}: {len(adds)} file(s) uploaded, {len(deletes)} deleted, "
                f"{len(unchanged)} unchanged")
        else:
            log(f"nothing to upload: all {len(unchanged)} file(s) match {repo}@{rev} (sha256 / git blob ids)")
        sha = result.commit or api.repo_info(repo, repo_type="dataset", revision=rev).sha
    except Exception as err:  # network and Hub errors become one line, never a traceback
        if isinstance(err, ToolkitError):
            raise
        raise ToolkitError(f"upload to {constants.ENDPOINT} ({repo}@{rev}) failed: {_one_line(err)}; "
                           f"{_advice(err)}") from None
    result.verified_remote = verify(repo, built, where=f"{repo}@{rev}", revision=sha, token=token)
    log(f"verified {repo}@{sha[:12]}: load_dataset gives the same rows and features for "
        f"{', '.join(result.verified_remote)}")


def plan(api, repo_id: str, revision: str, folder: Path) -> tuple[list[str], list[str], list[str]]:
    """(paths to upload, remote paths to delete, unchanged paths): a file is unchanged when its content hash equals
    the remote one (LFS sha256, else the git blob id)."""
    from huggingface_hub.hf_api import RepoFile
    from huggingface_hub.utils.sha import git_hash

    remote = {f.path: f for f in api.list_repo_tree(repo_id, repo_type="dataset", revision=revision, recursive=True)
              if isinstance(f, RepoFile)}
    local = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    adds, unchanged = [], []
    for path in local:
        data = (folder / path).read_bytes()
        have = remote.get(path)
        same = have is not None and (
            have.lfs.sha256 == hashlib.sha256(data).hexdigest() if have.lfs else have.blob_id == git_hash(data)
        )
        (unchanged if same else adds).append(path)
    deletes = sorted(p for p in remote if p.startswith(MANAGED_DIR) and p not in set(local))
    return adds, deletes, unchanged


def _add(folder: Path, path: str):
    from huggingface_hub import CommitOperationAdd

    return CommitOperationAdd(path_in_repo=path, path_or_fileobj=str(folder / path))


def _delete(path: str):
    from huggingface_hub import CommitOperationDelete

    return CommitOperationDelete(path_in_repo=path)


def _advice(err: BaseException) -> str:
    status = getattr(getattr(err, "response", None), "status_code", None)
    if status in (401, 403):
        return "the Hub refused the token: check HF_TOKEN or `hf auth login`, and write access to the namespace"
    if isinstance(err, ValueError) and "metadata" in str(err):
        return "the Hub rejected the dataset card's YAML header; nothing was uploaded"
    return "nothing was committed by this step; re-run to retry (files already uploaded are not sent again)"


def _one_line(err: BaseException) -> str:
    """The first line of an error and of what caused it (huggingface_hub wraps upload failures)."""
    parts = []
    while err is not None and len(parts) < 3:
        text = [line.strip() for line in str(err).strip().splitlines()]
        bullets = [line[2:] for line in text[1:] if line.startswith("- ")]  # e.g. the Hub's YAML errors
        parts.append(" ".join(text[:1] + bullets) if text else err.__class__.__name__)
        err = err.__cause__
    return ": ".join(dict.fromkeys(parts))
