"""Dependencies point one way: reports reads classes, never the reverse; the project
package imports no app's code; migrations run no live code."""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _imported_modules(folder):
    """(file, module) for every absolute import under `folder`."""
    for path in sorted((ROOT / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield path.relative_to(ROOT).as_posix(), alias.name
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                yield path.relative_to(ROOT).as_posix(), node.module or ""


def _importing(folder, packages, *, skip=()):
    return [
        f"{path}: {module}"
        for path, module in _imported_modules(folder)
        if module.split(".")[0] in packages and not any(path.startswith(prefix) for prefix in skip)
    ]


def test_the_classes_app_imports_nothing_from_reports():
    assert _importing("classes", {"reports"}) == []


def test_the_project_package_imports_no_apps_code():
    assert _importing("hatinh_training", {"classes", "reports"}) == []


def test_migrations_import_no_live_code_but_the_field_validators():
    # Validators are part of a field's frozen definition (deconstructed by path).
    found = _importing("classes/migrations", {"classes", "reports"}) + _importing("reports/migrations", {"classes"})
    assert set(found) <= {
        "classes/migrations/0008_value_bounds.py: classes.models",
        "classes/migrations/0010_reform_2025_units.py: classes.models",
        "classes/migrations/0011_board_name.py: classes.models",
    }
