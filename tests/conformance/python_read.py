"""What CPython reads from revision files, for the reader's differential tests.

For each path: whether CPython can compile the file, and the module-level
literal assignments Alembic reads (last one wins), plus the docstring.
Nothing is executed: the file is parsed with ast and literals evaluated with
ast.literal_eval. Prints one JSON object per line.
"""
import ast
import json
import sys

NAMES = ("revision", "down_revision", "branch_labels", "depends_on")


def literal(node):
    try:
        value = ast.literal_eval(node)
    except Exception:
        return {"not_literal": True}
    if isinstance(value, (list, tuple)):
        return list(value) if all(isinstance(v, str) for v in value) else {"not_literal": True}
    if value is None or isinstance(value, str):
        return value
    return {"not_literal": True}


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    try:
        compile(data, path, "exec", dont_inherit=True)
        tree = ast.parse(data, path)
    except (SyntaxError, ValueError) as e:
        return {"path": path, "ok": False, "error": "%s: %s" % (type(e).__name__, e)}
    out = {"path": path, "ok": True, "doc": ast.get_docstring(tree, clean=False)}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign):
            targets, value = stmt.targets, stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            targets, value = [stmt.target], stmt.value
        else:
            continue
        for t in targets:
            if isinstance(t, ast.Name) and t.id in NAMES:
                out[t.id] = literal(value)
    return out


def main():
    for path in sys.argv[1:]:
        print(json.dumps(read(path)))


if __name__ == "__main__":
    main()
