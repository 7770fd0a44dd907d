"""A small in-memory Hugging Face Hub for tests: the HTTP endpoints huggingface_hub and datasets call to create a
dataset repo, upload (preupload, LFS batch + upload URL, NDJSON commit), list it and download from it.

Standard library only. `fail(route, times, status)` makes the next requests to a route fail, to test recovery.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

TOKEN = "hf_test_token_for_the_local_hub"
LFS_EXTENSIONS = (".parquet", ".arrow", ".bin")
R = r"(?P<repo>[^/]+/[^/]+)"
ROUTES = [
    ("POST", "create", re.compile(r"^/api/repos/create$")),
    ("POST", "validate-yaml", re.compile(r"^/api/validate-yaml$")),
    ("POST", "preupload", re.compile(rf"^/api/datasets/{R}/preupload/(?P<rev>[^/]+)$")),
    ("POST", "commit", re.compile(rf"^/api/datasets/{R}/commit/(?P<rev>[^/]+)$")),
    ("POST", "branch", re.compile(rf"^/api/datasets/{R}/branch/(?P<rev>[^/]+)$")),
    ("POST", "paths-info", re.compile(rf"^/api/datasets/{R}/paths-info/(?P<rev>[^/]+)$")),
    ("GET", "tree", re.compile(rf"^/api/datasets/{R}/tree/(?P<rev>[^/]+)(?:/(?P<path>.*))?$")),
    ("GET", "info", re.compile(rf"^/api/datasets/{R}(?:/revision/(?P<rev>[^/]+))?$")),
    ("POST", "lfs-batch", re.compile(rf"^/datasets/{R}\.git/info/lfs/objects/batch$")),
    ("PUT", "lfs-upload", re.compile(r"^/_lfs/(?P<oid>[0-9a-f]{64})$")),
    ("GET", "resolve", re.compile(rf"^/datasets/{R}/resolve/(?P<rev>[^/]+)/(?P<path>.+)$")),
    ("HEAD", "resolve", re.compile(rf"^/datasets/{R}/resolve/(?P<rev>[^/]+)/(?P<path>.+)$")),
]


def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass
class Blob:
    data: bytes
    lfs: bool

    @property
    def oid(self) -> str:
        """What the Hub reports as a file's oid (git blob id; for LFS, of its pointer) and ETag (sha256 for LFS)."""
        return git_blob_id(self.pointer if self.lfs else self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def pointer(self) -> bytes:
        return f"version https://git-lfs.github.com/spec/v1\noid sha256:{self.sha256}\nsize {len(self.data)}\n".encode()

    @property
    def etag(self) -> str:
        return self.sha256 if self.lfs else self.oid


@dataclass
class Repo:
    private: bool
    branches: dict[str, str] = field(default_factory=dict)  # branch -> commit id
    trees: dict[str, dict[str, Blob]] = field(default_factory=dict)  # commit id -> files


class HubState:
    def __init__(self):
        self.lock = threading.Lock()
        self.repos: dict[str, Repo] = {}
        self.lfs: dict[str, bytes] = {}
        self.commits: list[tuple[str, str, list[str]]] = []  # (repo, commit id, paths changed) via /commit
        self.lfs_uploads: list[str] = []  # oids received
        self.failures: dict[str, list[int]] = {}  # route -> statuses to answer next
        self.yaml_rejects: dict[str, str] = {}  # field -> message answered by validate-yaml
        self.requests: list[str] = []

    def new_commit(self, repo: Repo, parent: str | None, files: dict[str, Blob]) -> str:
        seed = json.dumps([parent, sorted((p, b.oid) for p, b in files.items()), len(self.commits)]).encode()
        cid = hashlib.sha1(seed).hexdigest()
        repo.trees[cid] = files
        return cid


class HubServer:
    """Start with `start()`; `url` is the endpoint to put in HF_ENDPOINT."""

    def __init__(self):
        self.state = HubState()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.state))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> HubServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def fail(self, route: str, times: int = 1, status: int = 500) -> None:
        self.state.failures[route] = [status] * times

    def reject_yaml(self, name: str, message: str) -> None:
        self.state.yaml_rejects[name] = message

    def files(self, repo_id: str, branch: str = "main") -> dict[str, bytes]:
        repo = self.state.repos[repo_id]
        return {p: b.data for p, b in repo.trees[repo.branches[branch]].items()}

    def commit_count(self, repo_id: str) -> int:
        return sum(1 for repo, _, _ in self.state.commits if repo == repo_id)


def _handler(state: HubState):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # keep test output clean
            pass

        def do_GET(self):
            self._dispatch("GET")

        def do_HEAD(self):
            self._dispatch("HEAD")

        def do_POST(self):
            self._dispatch("POST")

        def do_PUT(self):
            self._dispatch("PUT")

        # --- plumbing ---------------------------------------------------------------------------------------

        def _dispatch(self, method: str) -> None:
            url = urlsplit(self.path)
            self.query = parse_qs(url.query)
            length = int(self.headers.get("Content-Length") or 0)
            self.body = self.rfile.read(length) if length else b""
            state.requests.append(f"{method} {self.path}")
            for m, name, pattern in ROUTES:
                match = pattern.match(url.path)
                if m == method and match:
                    args = {k: unquote(v) for k, v in match.groupdict().items() if v is not None}
                    with state.lock:
                        statuses = state.failures.get(name)
                        if statuses:
                            return self._json({"error": f"injected failure on {name}"}, statuses.pop(0))
                        if method != "GET" and method != "HEAD" and name != "lfs-upload" and not self._authorized():
                            return self._json({"error": "Invalid credentials in Authorization header"}, 401)
                        return getattr(self, "_" + name.replace("-", "_"))(**args)
            self._json({"error": f"no route for {method} {url.path}"}, 404)

        def _authorized(self) -> bool:
            return self.headers.get("Authorization") == f"Bearer {TOKEN}"

        def _json(self, obj, status: int = 200, headers: dict | None = None) -> None:
            data = json.dumps(obj).encode()
            self._send(status, data, {"Content-Type": "application/json", **(headers or {})})

        def _send(self, status: int, data: bytes, headers: dict) -> None:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, str(v))
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def _not_found(self, what: str, code: str = "RepoNotFound") -> None:
            self._json({"error": what}, 404, {"X-Error-Code": code, "X-Error-Message": what})

        def _repo_rev(self, repo_id: str, rev: str | None):
            """(repo, commit id, files) or None after answering 404."""
            repo = state.repos.get(repo_id)
            if repo is None or (repo.private and not self._authorized()):
                self._not_found(f"Repository {repo_id} not found")
                return None
            rev = rev or "main"
            cid = repo.branches.get(rev) or (rev if rev in repo.trees else None)
            if cid is None:
                self._not_found(f"Invalid rev id: {rev}", "RevisionNotFound")
                return None
            return repo, cid, repo.trees[cid]

        def _entry(self, path: str, blob: Blob) -> dict:
            entry = {"type": "file", "oid": blob.oid, "size": len(blob.data), "path": path}
            if blob.lfs:
                entry["lfs"] = {"oid": blob.sha256, "size": len(blob.data), "pointerSize": len(blob.pointer)}
            return entry

        def _dirs(self, files: dict[str, Blob]) -> set[str]:
            return {"/".join(p.split("/")[:i]) for p in files for i in range(1, p.count("/") + 1)}

        # --- routes -----------------------------------------------------------------------------------------

        def _create(self):
            payload = json.loads(self.body)
            repo_id = f"{payload['organization']}/{payload['name']}"
            if repo_id in state.repos:
                return self._json({"error": "You already created this dataset repo",
                                   "url": f"{self._base()}/datasets/{repo_id}"}, 409)
            repo = Repo(private=payload.get("visibility") == "private")
            attrs = Blob(b"*.parquet filter=lfs diff=lfs merge=lfs -text\n", lfs=False)
            repo.branches["main"] = state.new_commit(repo, None, {".gitattributes": attrs})
            state.repos[repo_id] = repo
            self._json({"url": f"{self._base()}/datasets/{repo_id}", "name": repo_id})

        def _base(self) -> str:
            return f"http://{self.headers.get('Host')}"

        def _validate_yaml(self):
            content = json.loads(self.body)["content"]
            header = content.split("---", 2)[1] if content.startswith("---") else ""
            errors = [{"message": f'"{name}" {message}'} for name, message in state.yaml_rejects.items()
                      if re.search(rf"^{re.escape(name)}:", header, re.MULTILINE)]
            self._json({"errors": errors, "warnings": []}, 400 if errors else 200)

        def _preupload(self, repo, rev):
            found = self._repo_rev(repo, rev)
            if not found:
                return
            files = found[2]
            out = []
            for f in json.loads(self.body)["files"]:
                lfs = f["path"].endswith(LFS_EXTENSIONS) or f["size"] > 10_000_000
                have = files.get(f["path"])
                oid = (have.sha256 if have.lfs else have.oid) if have else None
                out.append({"path": f["path"], "uploadMode": "lfs" if lfs else "regular", "shouldIgnore": False,
                            "oid": oid})
            self._json({"files": out, "commitOid": found[1]})

        def _lfs_batch(self, repo):
            if repo not in state.repos:
                return self._not_found(f"Repository {repo} not found")
            objects = []
            for obj in json.loads(self.body)["objects"]:
                item = {"oid": obj["oid"], "size": obj["size"]}
                if obj["oid"] not in state.lfs:
                    item["actions"] = {"upload": {"href": f"{self._base()}/_lfs/{obj['oid']}", "expires_in": 3600}}
                objects.append(item)
            self._json({"transfer": "basic", "objects": objects}, headers={"Content-Type": "application/vnd.git-lfs+json"})

        def _lfs_upload(self, oid):
            if hashlib.sha256(self.body).hexdigest() != oid:
                return self._json({"error": "sha256 mismatch"}, 400)
            state.lfs[oid] = self.body
            state.lfs_uploads.append(oid)
            self._send(200, b"", {"ETag": f'"{oid}"'})

        def _commit(self, repo, rev):
            found = self._repo_rev(repo, rev)
            if not found:
                return
            repo_obj, parent, files = found
            files = dict(files)
            changed = []
            for line in self.body.decode().splitlines():
                if not line.strip():
                    continue
                item = json.loads(line)
                key, value = item["key"], item["value"]
                if key == "file":
                    files[value["path"]] = Blob(base64.b64decode(value["content"]), lfs=False)
                elif key == "lfsFile":
                    if value["oid"] not in state.lfs:
                        return self._json({"error": f"LFS object {value['oid']} was never uploaded"}, 422)
                    files[value["path"]] = Blob(state.lfs[value["oid"]], lfs=True)
                elif key == "deletedFile":
                    if value["path"] not in files:
                        return self._not_found("A file with this name doesn't exist", "EntryNotFound")
                    files.pop(value["path"])
                elif key == "deletedFolder":
                    prefix = value["path"].rstrip("/") + "/"
                    for p in [p for p in files if p.startswith(prefix)]:
                        files.pop(p)
                elif key != "header":
                    return self._json({"error": f"unsupported commit line {key}"}, 400)
                if key != "header":
                    changed.append(value["path"])
            cid = state.new_commit(repo_obj, parent, files)
            repo_obj.branches[rev] = cid
            state.commits.append((repo, cid, changed))
            self._json({"commitUrl": f"{self._base()}/datasets/{repo}/commit/{cid}", "commitOid": cid,
                        "pullRequestUrl": None, "success": True})

        def _branch(self, repo, rev):
            found = self._repo_rev(repo, None)
            if not found:
                return
            if rev in found[0].branches:
                return self._json({"error": "Reference already exists"}, 409)
            found[0].branches[rev] = found[1]
            self._json({})

        def _info(self, repo, rev=None):
            found = self._repo_rev(repo, rev)
            if not found:
                return
            repo_obj, cid, files = found
            self._json({
                "id": repo, "_id": hashlib.md5(repo.encode()).hexdigest()[:24], "author": repo.split("/")[0],
                "sha": cid, "private": repo_obj.private, "disabled": False, "gated": False, "downloads": 0,
                "likes": 0, "tags": [], "lastModified": "2026-01-01T00:00:00.000Z",
                "createdAt": "2026-01-01T00:00:00.000Z", "siblings": [{"rfilename": p} for p in sorted(files)],
            })

        def _tree(self, repo, rev, path=""):
            found = self._repo_rev(repo, rev)
            if not found:
                return
            files = found[2]
            recursive = self.query.get("recursive", ["false"])[0].lower() in ("1", "true")
            prefix = path.strip("/") + "/" if path.strip("/") else ""
            if prefix and not any(p.startswith(prefix) for p in files):
                return self._not_found(f"{path} does not exist", "EntryNotFound")
            out = []
            for d in sorted(self._dirs(files)):
                rest = d[len(prefix):]
                if d.startswith(prefix) and rest and (recursive or "/" not in rest):
                    out.append({"type": "directory", "oid": git_blob_id(d.encode()), "size": 0, "path": d})
            for p, blob in sorted(files.items()):
                rest = p[len(prefix):]
                if p.startswith(prefix) and (recursive or "/" not in rest):
                    out.append(self._entry(p, blob))
            self._json(out)

        def _paths_info(self, repo, rev):
            found = self._repo_rev(repo, rev)
            if not found:
                return
            files = found[2]
            ctype = self.headers.get("Content-Type", "")
            if "json" in ctype:
                paths = json.loads(self.body).get("paths", [])
            else:
                paths = parse_qs(self.body.decode()).get("paths", [])
            dirs = self._dirs(files)
            out = []
            for p in paths:
                p = p.strip("/")
                if p in files:
                    out.append(self._entry(p, files[p]))
                elif p in dirs or p == "":
                    out.append({"type": "directory", "oid": git_blob_id(p.encode()), "size": 0, "path": p})
            self._json(out)

        def _resolve(self, repo, rev, path):
            found = self._repo_rev(repo, rev)
            if not found:
                return
            _, cid, files = found
            blob = files.get(path)
            if blob is None:
                return self._not_found(f"Entry not found: {path}", "EntryNotFound")
            data = blob.data
            status = 200
            headers = {"ETag": f'"{blob.etag}"', "X-Repo-Commit": cid, "Accept-Ranges": "bytes",
                       "Content-Type": "application/octet-stream"}
            if blob.lfs:
                headers["X-Linked-Etag"] = f'"{blob.etag}"'
                headers["X-Linked-Size"] = len(data)
            ranged = re.match(r"bytes=(\d+)-(\d*)$", self.headers.get("Range", ""))
            if ranged:
                start = int(ranged.group(1))
                end = int(ranged.group(2)) if ranged.group(2) else len(data) - 1
                end = min(end, len(data) - 1)
                headers["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
                data, status = data[start : end + 1], 206
            self._send(status, data, headers)

    return Handler
