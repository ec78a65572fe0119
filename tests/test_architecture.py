"""The layers of ARCHITECTURE.md, read from the code's own imports.

Every import counts, the ones inside functions too: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("newsarchive", "crawler", "archive", "demosite")

# What each package may import of the project; the rest of the table is forbidden.
MAY_IMPORT = {
    "newsarchive": {"newsarchive", "crawler", "archive", "demosite"},
    "crawler": {"crawler", "archive", "demosite"},
    "archive": {"archive"},
    "demosite": {"demosite"},
}
# crawler/ may use the demo site in one place only: the extraction evaluation's demo page set.
DEMOSITE_USERS_IN_CRAWLER = {"crawler.evaluate"}


@dataclass(frozen=True)
class Import:
    importer: str  # module doing the import
    module: str  # module imported from
    name: str | None  # the name taken from it (from-imports), else None
    line: int


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    return {
        module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")
    }


def imports_of(name: str, path: Path) -> Iterator[Import]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(name, alias.name, None, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                yield Import(name, module, alias.name, node.lineno)


MODULES = project_modules()
IMPORTS = [found for name, path in MODULES.items() for found in imports_of(name, path)]
PROJECT_IMPORTS = [found for found in IMPORTS if found.module.split(".")[0] in PACKAGES]


def test_every_package_is_read() -> None:
    assert {name.split(".")[0] for name in MODULES} == set(PACKAGES)
    assert len(PROJECT_IMPORTS) > 100  # the reader finds imports, lazy ones included


@pytest.mark.parametrize("package", PACKAGES)
def test_layers_import_downwards_only(package: str) -> None:
    wrong = [
        f"{found.importer}:{found.line} imports {found.module}"
        for found in PROJECT_IMPORTS
        if found.importer.split(".")[0] == package
        and found.module.split(".")[0] not in MAY_IMPORT[package]
    ]
    assert wrong == []


def test_crawler_uses_the_demo_site_only_to_evaluate() -> None:
    users = {
        found.importer
        for found in PROJECT_IMPORTS
        if found.importer.startswith("crawler") and found.module.startswith("demosite")
    }
    assert users <= DEMOSITE_USERS_IN_CRAWLER


def test_no_private_name_crosses_a_module_border() -> None:
    crossing = [
        f"{found.importer}:{found.line} takes {found.name} from {found.module}"
        for found in PROJECT_IMPORTS
        if found.name
        and found.name.startswith("_")
        and not found.name.startswith("__")
        and found.module != found.importer
    ]
    assert crossing == []


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for found in PROJECT_IMPORTS:
        # `from package import module` names a module; `from module import name` does not
        target = f"{found.module}.{found.name}" if found.name else found.module
        if target not in MODULES:
            target = found.module
        if target in MODULES and target != found.importer:
            graph[found.importer].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle() -> None:
    assert cycles(import_graph()) == []


def modules_loaded_by(modules: list[str], watched: tuple[str, ...]) -> list[str]:
    """Which of `watched` a fresh interpreter has loaded after importing `modules`."""
    probe = (
        f"import sys\nfor name in {modules!r}: __import__(name)\n"
        f"print(','.join(m for m in {watched!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return [name for name in result.stdout.strip().split(",") if name]


def test_the_crawl_command_leaves_scrapy_to_the_crawl_process() -> None:
    """`newsarchive crawl` checks its arguments and starts the crawl process without importing
    Scrapy, the spider or extraction itself: the crawl process imports them (crawler/launch.py)."""
    command = ["newsarchive.cli", "crawler.launch", "crawler.options", "crawler.profiles"]
    heavy = ("scrapy", "crawler.spiders.news", "crawler.extract", "trafilatura")
    assert modules_loaded_by(command, heavy) == []


def test_the_crawl_process_leaves_extraction_to_the_workers() -> None:
    """The crawl process follows links and stores; trafilatura runs in the extraction workers
    only, so the crawl process does not pay for importing it."""
    crawl_process = [
        "crawler.runner",
        "crawler.spiders.news",
        "crawler.middlewares",
        "crawler.warc",
        "crawler.pipelines.extraction",
        "crawler.pipelines.revisits",
        "crawler.pipelines.storage",
    ]
    assert modules_loaded_by(crawl_process, ("trafilatura", "crawler.extract")) == []
    # the probe sees what it should: the workers' module does load them
    assert modules_loaded_by(["crawler.extract"], ("trafilatura",)) == ["trafilatura"]
