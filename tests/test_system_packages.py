"""The one list of Debian packages (scripts/system-packages.txt, installed by `make up`/`make test`)
cannot drift from the code: every system command and font file the code looks for is provided by a
listed package, and configurable-http-proxy's pinned tree runs on Debian 12's own Node.

Commands are found in the Python sources by their AST: `shutil.which("x")`, argv lists whose first
item is a literal (`subprocess.run(["x", …])`, `argv = ["x", …]`, `return ["x", …]`), and literal
absolute paths under /usr/bin, /usr/sbin, /bin, /sbin. Commands of the project's own virtualenv
(.venv/bin) and of the proxy's node_modules are not system packages and are left out.
"""
from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LIST = REPO / "scripts" / "system-packages.txt"
SCRIPT = REPO / "scripts" / "system-packages.sh"
SCANNED = ("academy", "grading", "sandbox", "courses", "hub_config", "dashboards", "bench", "tests", "deploy")
SYSTEM_DIRS = ("/usr/bin/", "/usr/sbin/", "/bin/", "/sbin/", "/usr/local/bin/")
FONT_RE = re.compile(r"[\w.-]+\.(ttc|ttf|otf)$", re.I)
COMMAND_RE = re.compile(r"^[a-z][a-z0-9._+-]*$")
ARGV_NAMES = re.compile(r"(^|_)(argv|cmd|prefix)$", re.I)  # `argv = ["setpriv", …]`, not ARGS = ["simulate", …]
SPAWNERS = {"run", "Popen", "check_call", "check_output", "call", "_run", "create_subprocess_exec",
            "execvp", "execv", "execlp", "spawnvp"}
# Debian 12 (bookworm) ships nodejs 18.20.4+dfsg-1~deb12u2, with Debian's security support.
DEBIAN_NODE = (18, 20, 4)


@dataclass(frozen=True)
class Entry:
    package: str
    use: str  # base | up | test
    provides: tuple[str, ...]


def read_list() -> list[Entry]:
    entries = []
    for line in LIST.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            package, use, *provides = line.split()
            entries.append(Entry(package, use, tuple(provides)))
    return entries


def listed(kind: str) -> set[str]:
    """Commands (kind "") or font files ("font") the list provides."""
    out = set()
    for e in read_list():
        for token in e.provides:
            k, _, name = token.rpartition(":")
            if k == kind:
                out.add(name)
    return out


# ---- scanning the sources ----------------------------------------------------------------------
def _func_name(call: ast.Call) -> str:
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def _argv0(node: ast.AST | None) -> str | None:
    if isinstance(node, (ast.List, ast.Tuple)) and node.elts:
        first = node.elts[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    return None


def _commands_in(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        cand: list[str | None] = []
        if isinstance(node, ast.Call):
            name = _func_name(node)
            if name == "which" and node.args and isinstance(node.args[0], ast.Constant):
                cand.append(node.args[0].value)
            elif name in SPAWNERS and node.args:
                cand.append(_argv0(node.args[0]))
                if name in {"create_subprocess_exec", "execvp", "execlp", "spawnvp"} and \
                        isinstance(node.args[0], ast.Constant):
                    cand.append(node.args[0].value)
        elif isinstance(node, ast.Return):
            cand.append(_argv0(node.value))
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and ARGV_NAMES.search(t.id)
                                                  for t in node.targets):
            cand.append(_argv0(node.value))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and node.value.rsplit("/", 1)[0] + "/" in SYSTEM_DIRS:
            cand.append(node.value)
        for c in cand:
            if not isinstance(c, str):
                continue
            if c.startswith(SYSTEM_DIRS):
                c = c.rsplit("/", 1)[-1]
            if COMMAND_RE.match(c):
                found.add(c)
    return found


# Fonts that come with a Python package, not with Debian (matplotlib's own mpl-data).
PACKAGED_FONTS = {"DejaVuSans.ttf"}


def _fonts_in(tree: ast.AST) -> set[str]:
    return {Path(n.value).name for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and FONT_RE.search(n.value)} - PACKAGED_FONTS


def _sources() -> list[Path]:
    """The sources, this file excepted (its strings are fixtures, not things the code uses)."""
    return sorted(p for d in SCANNED for p in (REPO / d).rglob("*.py")
                  if "node_modules" not in p.parts and p.resolve() != Path(__file__).resolve())


def _own_commands() -> set[str]:
    """Commands of the project's virtualenv and the proxy's node_modules: not Debian packages."""
    dirs = [Path(sys.executable).parent, REPO / ".venv" / "bin", REPO / "hub_config" / "proxy" / "node_modules" / ".bin"]
    return {p.name for d in dirs if d.is_dir() for p in d.iterdir()} - {"python3"}


def scan() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """command → files that use it; file → font files it names."""
    commands: dict[str, set[str]] = {}
    fonts: dict[str, set[str]] = {}
    own = _own_commands()
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        rel = str(path.relative_to(REPO))
        for c in _commands_in(tree) - own:
            commands.setdefault(c, set()).add(rel)
        if f := _fonts_in(tree):
            fonts[rel] = f
    return commands, fonts


# ---- the tests -----------------------------------------------------------------------------------
def test_the_list_is_well_formed():
    entries = read_list()
    assert entries
    assert len({e.package for e in entries}) == len(entries), "a package is listed twice"
    for e in entries:
        assert e.use in {"base", "up", "test"}, e
        assert e.provides, f"{e.package}: say what of it the code uses"
        for token in e.provides:
            assert re.fullmatch(r"(font:[\w.-]+|py:[\w.]+|lib:[\w.+-]+|[a-z][\w.+-]*)", token), (e.package, token)


def test_every_command_the_code_runs_comes_from_a_listed_package():
    commands, _ = scan()
    assert {"setpriv", "useradd", "pdftotext", "chromium"} <= set(commands), "the scanner lost its way"
    missing = {c: sorted(files) for c, files in commands.items() if c not in listed("")}
    assert not missing, ("commands the code runs that no package in scripts/system-packages.txt "
                         f"provides — add the Debian package that ships each: {missing}")


def test_every_font_the_code_looks_for_has_a_listed_package():
    """A file may name several candidate fonts: one of them must come from the list."""
    _, fonts = scan()
    assert fonts, "the scanner lost its way"
    have = listed("font")
    missing = {f: sorted(names) for f, names in fonts.items() if not names & have}
    assert not missing, f"fonts named in the code but installed by no listed package: {missing}"


def test_listed_packages_that_are_installed_provide_what_the_list_says():
    """On a machine where `make test` installed the list (CI, the fresh-Debian proof) this checks every
    line; elsewhere only the packages that happen to be installed."""
    # PostgreSQL's server programs live beside its version, not on PATH (tests/postgres.py finds them there)
    pg_bins = [str(p) for p in sorted(Path("/usr/lib/postgresql").glob("*/bin"))]
    path = ":".join([os.environ.get("PATH", ""), "/usr/local/sbin:/usr/sbin:/sbin", *pg_bins])
    checked = 0
    for e in read_list():
        st = subprocess.run(["dpkg-query", "-W", "-f=${db:Status-Status}", e.package],
                            capture_output=True, text=True) if shutil.which("dpkg-query") else None
        if st is None or st.stdout != "installed":
            continue
        checked += 1
        for token in e.provides:
            kind, _, name = token.rpartition(":")
            if kind == "font":
                assert list(Path("/usr/share/fonts").rglob(name)), f"{e.package} does not ship {name}"
            elif kind == "lib":
                assert list(Path("/usr/lib").glob(f"*/{name}")), f"{e.package} does not ship {name}"
            elif kind == "py":
                assert subprocess.run(["/usr/bin/python3", "-c", f"import {name}"]).returncode == 0, token
            else:
                assert shutil.which(name, path=path), f"{e.package} does not provide the command {name}"
    if not checked:
        pytest.skip("no listed package is installed by dpkg here")


# What a `debootstrap --variant=minbase` Debian 12 already has of the libraries a program may link.
MINBASE_LIBRARY_PACKAGES = {"libc6", "libgcc-s1", "libstdc++6"}


def test_libraries_of_playwrights_driver_come_from_a_listed_package():
    """Playwright runs its browser through a bundled Node binary: each library it links must be on a
    minimal Debian already or come from a listed package (libatomic was missing on the fresh root)."""
    import playwright

    node = Path(playwright.__file__).parent / "driver" / "node"
    if not node.exists() or not shutil.which("ldd") or not shutil.which("dpkg-query"):
        pytest.skip("no Playwright driver, ldd or dpkg here")
    ldd = subprocess.run(["ldd", str(node)], capture_output=True, text=True, check=True).stdout
    libs = re.findall(r"=> (/\S+)", ldd)
    assert libs, ldd
    packages = {e.package for e in read_list()}
    outside = {}
    for lib in libs:
        # by file name: with merged /usr, dpkg knows a library under /lib or /usr/lib, not both
        owner = subprocess.run(["dpkg-query", "-S", f"*/{Path(lib).name}"], capture_output=True, text=True)
        package = owner.stdout.split(":")[0].strip() if owner.returncode == 0 else "?"
        if package not in packages | MINBASE_LIBRARY_PACKAGES:
            outside[lib] = package
    assert outside == {}, f"libraries of {node} from packages not in {LIST.name}: {outside}"


def _satisfies(version: tuple[int, int, int], spec: str) -> bool:
    """npm `engines` ranges as they occur in the lock: `>=X.Y`, `>= X`, `^X || >=Y`, `*`, `X.x`."""
    for alt in spec.split("||"):
        comps = re.findall(r"(>=|<=|>|<|\^|~|=)?\s*(\*|\d+(?:\.(?:\d+|x|\*))*)", alt)
        if comps and all(_compare(version, op, v) for op, v in comps):
            return True
    return False


def _compare(version: tuple[int, int, int], op: str, v: str) -> bool:
    if v == "*":
        return True
    nums = [int(x) for x in v.split(".") if x.isdigit()]
    ref = tuple(nums + [0] * (3 - len(nums)))
    if op in ("", "="):  # 18, 18.x, 18.20.4: the parts given must match
        return version[:len(nums)] == tuple(nums)
    return {">=": version >= ref, ">": version > ref, "<=": version <= ref, "<": version < ref,
            "^": version >= ref and version[0] == ref[0], "~": version >= ref and version[:2] == ref[:2]}[op]


def test_range_reader_on_known_cases():
    assert _satisfies((18, 20, 4), ">= 18") and _satisfies((18, 20, 4), "^16 || ^18 || >=20")
    assert not _satisfies((18, 20, 4), ">= 20") and not _satisfies((18, 20, 4), ">=22.12.0")
    assert _satisfies((18, 20, 4), "*") and _satisfies((18, 20, 4), ">=0.1.90")
    assert _satisfies((18, 20, 4), "18.x") and not _satisfies((18, 20, 4), "^20.1 || 22")


def test_the_pinned_proxy_runs_on_debian_12s_node():
    """configurable-http-proxy ≥ 5.2 asks for Node ≥ 20 (5.3.0's commander 15 for ≥ 22.12); Debian 12
    ships 18. Every package of the pinned tree must accept Debian's Node."""
    import json
    lock = json.loads((REPO / "hub_config" / "proxy" / "package-lock.json").read_text())
    refused = {name: meta["engines"]["node"] for name, meta in lock["packages"].items()
               if isinstance(meta.get("engines"), dict) and "node" in meta["engines"]
               and not _satisfies(DEBIAN_NODE, meta["engines"]["node"])}
    assert not refused, f"these need a newer Node than Debian 12's {DEBIAN_NODE}: {refused}"


# ---- scripts/system-packages.sh ----------------------------------------------------------------
def _run_script(list_text: str, target: str = "up") -> subprocess.CompletedProcess:
    """The script on a list of our own, as an unprivileged user (never apt-get here)."""
    with tempfile.TemporaryDirectory(prefix="syspkg-") as tmp:
        d = Path(tmp)
        os.chmod(d, 0o755)  # readable by `nobody` (pytest's tmp_path is not)
        shutil.copy(SCRIPT, d / SCRIPT.name)
        (d / LIST.name).write_text(list_text, encoding="utf-8")
        argv = ["bash", str(d / SCRIPT.name), target]
        if os.geteuid() == 0:
            argv = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", *argv]
        return subprocess.run(argv, capture_output=True, text=True, timeout=60, cwd="/")


def test_script_not_root_names_the_missing_packages_and_the_command():
    r = _run_script("coreutils base rm\nacademy-nope up academy-nope-cmd\n"
                              "academy-nope-t test font:academy-nope.ttc\n", "test")
    assert r.returncode == 0, r.stderr  # make goes on with what can run
    assert "academy-nope academy-nope-t" in r.stderr
    assert "apt-get install -y --no-install-recommends academy-nope academy-nope-t" in r.stderr
    assert "缺少系统软件包" in r.stderr and r.stdout == ""


def test_script_is_silent_when_everything_is_there_and_up_skips_test_packages():
    r = _run_script("# c\ncoreutils base rm\nbash-ish up bash\nacademy-nope test academy-nope-cmd\n")
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")


def test_script_refuses_an_unknown_target():
    r = _run_script("coreutils base rm\n", "everything")
    assert r.returncode == 2 and "usage" in r.stderr
