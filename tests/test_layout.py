"""The package's layout: no import circles, stages that depend only on earlier ones, stable
public names, and every semantic rule in both of its forms."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import belnews

PACKAGE = Path(belnews.__file__).parent

#: Each stage may import only from the stages listed before it (and the shared modules).
STAGES = ["schema", "corpus", "check", "release", "use", "review", "interchange"]
SHARED = {"errors", "_paths", "__init__"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every belnews module a file imports, at module level or inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("belnews")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if not module.startswith("belnews"):
                continue
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                found.add(sub if (PACKAGE.parent / sub.replace(".", "/")).exists()
                          or (PACKAGE.parent / (sub.replace(".", "/") + ".py")).exists()
                          else module)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {
        name: {m for m in _imports(p) if m in modules and m != name}
        for name, p in modules.items()
    }


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_circles_between_modules():
    assert _cycle(_graph()) is None


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def test_stages_import_only_earlier_stages():
    wrong = []
    for module, targets in _graph().items():
        here = _stage(module)
        if here is None:
            continue
        for target in targets:
            there = _stage(target)
            if there is not None and STAGES.index(there) > STAGES.index(here):
                wrong.append(f"{module} -> {target}")
    assert wrong == []


def test_no_submodule_shadows_a_public_name():
    for name in belnews.__all__:
        assert not (PACKAGE / f"{name}.py").exists() and not (PACKAGE / name).is_dir(), name


PUBLIC = [
    "AnchorError", "Article", "BuildError", "DataIntegrityError", "Error", "Issue",
    "NormalizationError", "RecordError", "__version__", "bio_tags", "build", "collate", "load",
    "load_arrow", "manifest", "normalize", "quote_speaker_pairs", "ray_dataset",
    "simple_tokenize",
]


def test_public_names_are_pinned():
    assert sorted(belnews.__all__) == sorted(PUBLIC)
    for name in PUBLIC:
        assert getattr(belnews, name) is not None
    importlib.import_module("belnews.release.build")
    importlib.import_module("belnews.use.loader")
    assert callable(belnews.build) and belnews.build.__name__ == "build"
    assert callable(belnews.load) and belnews.load.__name__ == "load"


def test_validator_entry_points_are_pinned():
    from belnews import validate

    assert sorted(validate.__all__) == [
        "Report", "all_codes", "is_valid", "iter_issues", "validate_path", "validate_record",
    ]


def test_every_rule_module_has_both_forms():
    from belnews.check import rules

    modules = sorted(p.stem for p in (PACKAGE / "check" / "rules").glob("*.py")
                     if p.stem not in ("__init__", "base"))
    exact = {fn.__module__.rpartition(".")[2] for fn in rules.CHECKS}
    screens = {fn.__module__.rpartition(".")[2] for fn in rules.SCREENS}
    assert exact == set(modules) == screens
    for fn in rules.CHECKS:
        assert fn.__name__.startswith("check_")
    for fn in rules.SCREENS:
        assert fn.__name__.startswith("screen_")
