"""The hashed lock files match pyproject.toml, and pyproject.toml declares every package the code imports.

`make setup`/`make setup-dev` (and so CI and the Dockerfile) install only from requirements*.lock with
--require-hashes; after changing a pin in pyproject.toml, `make lock` writes them anew.
"""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
RUNTIME = PROJECT["dependencies"]
DEV = PROJECT["optional-dependencies"]["dev"]


def _name(requirement: str) -> str:
    return re.split(r"[\[=<>!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _pins(requirements: list[str]) -> dict[str, str]:
    pins = {}
    for requirement in requirements:
        assert "==" in requirement, f"{requirement}: pin an exact version"
        pins[_name(requirement)] = requirement.split("==")[1].split(";")[0].strip()
    return pins


def _lock(name: str) -> dict[str, tuple[str, int]]:
    """{package: (version, number of hashes)} of a lock file written by `uv pip compile --generate-hashes`."""
    entries: dict[str, tuple[str, int]] = {}
    current = None
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        if match := re.match(r"^([A-Za-z0-9_.\-\[\]]+)==([^ ;\\]+)", line):
            current = _name(match[1])
            entries[current] = (match[2], 0)
        elif "--hash=sha256:" in line and current:
            version, hashes = entries[current]
            entries[current] = (version, hashes + 1)
    return entries


@pytest.mark.parametrize(("lock", "declared"), [("requirements.lock", RUNTIME),
                                                 ("requirements-dev.lock", RUNTIME + DEV)])
def test_lock_file_pins_what_pyproject_pins_with_hashes(lock, declared):
    entries = _lock(lock)
    for name, version in _pins(declared).items():
        assert name in entries, f"{name} missing from {lock}: run `make lock`"
        assert entries[name][0] == version, f"{name}: pyproject {version}, {lock} {entries[name][0]}: `make lock`"
    assert all(hashes for _, hashes in entries.values()), f"entries without a hash in {lock}"


def test_dev_lock_keeps_the_runtime_versions():
    runtime, dev = _lock("requirements.lock"), _lock("requirements-dev.lock")
    assert {k: v[0] for k, v in runtime.items()} == {k: dev[k][0] for k in runtime if k in dev}
    assert set(runtime) <= set(dev)


def _third_party_imports(folder: str) -> set[str]:
    modules = set()
    for path in (ROOT / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return {m for m in modules if m not in sys.stdlib_module_names and m not in {"app", "tests"}}


@pytest.mark.parametrize(("folder", "declared"), [("app", RUNTIME), ("migrations", RUNTIME),
                                                   ("tests", RUNTIME + DEV)])
def test_every_imported_package_is_declared(folder, declared):
    names = {_name(r) for r in declared}
    distributions = packages_distributions()
    undeclared = {}
    for module in _third_party_imports(folder):
        dists = {d.lower().replace("_", "-") for d in distributions.get(module, [module])}
        if not dists & names:
            undeclared[module] = dists
    assert not undeclared, f"imported by {folder}/ but not declared in pyproject.toml: {undeclared}"
